import { z } from 'zod';

/**
 * Webhook bodies. Unknown keys are dropped (z.object strips), so what is stored is bounded by
 * these shapes, whatever a sender nests inside extra keys. Limits keep one alert from filling
 * the store and flooding the channels (a 0.9 MB alert with 70,000 labels once became 64 Slack
 * posts and a 21 MB email): see ALERT_LIMITS.
 */
export const ALERT_LIMITS = {
  /** Labels of one alert (and of a group's common or group labels). Prometheus alerts carry tens. */
  labels: 128,
  /** Annotations of one alert (summary, description, runbook_url, dashboards…). */
  annotations: 64,
  /** Characters of a label or annotation name. */
  nameChars: 256,
  /** Characters of a label or annotation value. */
  valueChars: 8192,
  /** Characters of one alert's label and annotation names and values together. */
  alertChars: 65_536,
  /** Alerts in one Alertmanager notification. */
  alerts: 1000,
} as const;

const str = (max: number) => z.string().max(max);
const kv = (maxEntries: number) =>
  z
    .record(str(ALERT_LIMITS.nameChars), str(ALERT_LIMITS.valueChars))
    .refine((r) => Object.keys(r).length <= maxEntries, `at most ${maxEntries} entries`);
const labelSet = kv(ALERT_LIMITS.labels);
const annotationSet = kv(ALERT_LIMITS.annotations);

const chars = (...sets: (Record<string, string> | undefined)[]) => {
  let n = 0;
  for (const r of sets) for (const [k, v] of Object.entries(r ?? {})) n += k.length + v.length;
  return n;
};
const withinAlertSize = (
  labels: Record<string, string> | undefined,
  annotations: Record<string, string> | undefined,
  ctx: z.RefinementCtx,
) => {
  if (chars(labels, annotations) > ALERT_LIMITS.alertChars) {
    ctx.addIssue({
      code: 'custom',
      message: `labels and annotations hold more than ${ALERT_LIMITS.alertChars} characters`,
      path: ['labels'],
    });
  }
};

/** prometheus/alertmanager: template/template.go `Alert` (formats.md §7.1). */
export const alertmanagerAlert = z
  .object({
    status: z.enum(['firing', 'resolved']),
    labels: labelSet,
    annotations: annotationSet.optional(),
    startsAt: str(64),
    endsAt: str(64).optional(),
    generatorURL: str(8192).optional(),
    fingerprint: str(128).optional(),
  })
  .superRefine((a, ctx) => withinAlertSize(a.labels, a.annotations, ctx));

/** prometheus/alertmanager: notify/webhook/webhook.go `Message`, version "4". */
export const alertmanagerPayload = z.object({
  version: z.literal('4'),
  groupKey: str(8192),
  truncatedAlerts: z.number().int().nonnegative().optional(),
  receiver: str(1024),
  status: z.enum(['firing', 'resolved']),
  alerts: z.array(alertmanagerAlert).min(1).max(ALERT_LIMITS.alerts),
  groupLabels: labelSet.optional(),
  commonLabels: labelSet.optional(),
  commonAnnotations: annotationSet.optional(),
  externalURL: str(8192).optional(),
});
export type AlertmanagerPayload = z.infer<typeof alertmanagerPayload>;

/** A bundle file name as in the bundle layout of docs/capture-a-bundle.md: one optional folder, no `..`, no absolute paths. */
const bundlePath = z
  .string()
  .regex(
    /^(?:[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}\/){0,2}[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$/,
    'not a bundle file path',
  )
  .refine((p) => !p.split('/').some((s) => s === '.' || s === '..'), 'not a bundle file path');

/**
 * `POST /webhook/generic`: one alert, plus optional attached facts (fact id → value, catalogue
 * ids only) or an inline bundle (file path → text; `.pb.gz` files base64).
 */
export const genericPayload = z.object({
  alert: z
    .object({
      name: str(256),
      /** Makes re-sends idempotent: the same id is the same incident. */
      id: str(256).optional(),
      status: z.enum(['firing', 'resolved']).default('firing'),
      labels: labelSet.default({}),
      annotations: annotationSet.default({}),
      startsAt: str(64).optional(),
      groupKey: str(1024).optional(),
    })
    .superRefine((a, ctx) => withinAlertSize(a.labels, a.annotations, ctx)),
  facts: z.record(str(256), z.union([z.number(), z.string().max(4096), z.boolean()])).optional(),
  bundle: z.record(bundlePath, z.string()).optional(),
});
export type GenericPayload = z.infer<typeof genericPayload>;

export { issuePath } from '../config/issue-path.js';
