import { z } from 'zod';

/**
 * Webhook bodies. Unknown keys are dropped (z.object strips), so what is stored is bounded by
 * these shapes, whatever a sender nests inside extra keys. Limits keep one alert from filling
 * the store: a label value is at most 8 KiB, a group at most 1,000 alerts.
 */
const str = (max: number) => z.string().max(max);
const kv = z.record(str(1024), str(8192));

/** prometheus/alertmanager: template/template.go `Alert` (formats.md §7.1). */
export const alertmanagerAlert = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: kv,
  annotations: kv.optional(),
  startsAt: str(64),
  endsAt: str(64).optional(),
  generatorURL: str(8192).optional(),
  fingerprint: str(128).optional(),
});

/** prometheus/alertmanager: notify/webhook/webhook.go `Message`, version "4". */
export const alertmanagerPayload = z.object({
  version: z.literal('4'),
  groupKey: str(8192),
  truncatedAlerts: z.number().int().nonnegative().optional(),
  receiver: str(1024),
  status: z.enum(['firing', 'resolved']),
  alerts: z.array(alertmanagerAlert).min(1).max(1000),
  groupLabels: kv.optional(),
  commonLabels: kv.optional(),
  commonAnnotations: kv.optional(),
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
  alert: z.object({
    name: str(256),
    /** Makes re-sends idempotent: the same id is the same incident. */
    id: str(256).optional(),
    status: z.enum(['firing', 'resolved']).default('firing'),
    labels: kv.default({}),
    annotations: kv.default({}),
    startsAt: str(64).optional(),
    groupKey: str(1024).optional(),
  }),
  facts: z.record(str(256), z.union([z.number(), z.string().max(4096), z.boolean()])).optional(),
  bundle: z.record(bundlePath, z.string()).optional(),
});
export type GenericPayload = z.infer<typeof genericPayload>;

export { issuePath } from '../config/issue-path.js';
