import { z } from 'zod';
import { parseIpRange } from '../shared/ip-ranges.js';
import { STORE_URL_PATTERN } from './store-url.js';
import { parseQuantity } from '../shared/parse-quantity.js';

/**
 * The YAML config as written (every key optional, strict: an unknown key is an error naming the
 * allowed ones). Quantities use the rule language's units: `1MiB`, `10s`, `5m`. normalize-config.ts
 * applies defaults afterwards, so this file stays the one place that says what may be written.
 */
const quantity = (unit: 'bytes' | 'seconds', min: number) =>
  z.union([z.number(), z.string()]).transform((raw, ctx) => {
    const q = parseQuantity(raw, unit, 'the value');
    if (!q.ok) {
      ctx.addIssue({ code: 'custom', message: q.message });
      return z.NEVER;
    }
    if (q.value < min) {
      ctx.addIssue({ code: 'custom', message: `must be at least ${min} ${unit}` });
      return z.NEVER;
    }
    return q.value;
  });
const seconds = (min = 0) => quantity('seconds', min);
const bytes = (min = 1) => quantity('bytes', min);
const int = (min: number, max: number) => z.number().int().min(min).max(max);
const nonEmpty = z.string().min(1);
const labels = z.record(nonEmpty, z.string());
const httpUrl = z.url({ protocol: /^https?$/ });
/** An IP address or CIDR range (`10.42.0.0/16`); never a host name, whose address could change. */
const ipRange = z.string().transform((raw, ctx) => {
  const r = parseIpRange(raw);
  if (!r.ok) {
    ctx.addIssue({ code: 'custom', message: r.message });
    return z.NEVER;
  }
  return r.range;
});
/** An HTTP header name (RFC 9110 token). */
const headerName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'must be an HTTP header name');

const matchers = {
  /** Label equals value. */
  match: labels.optional(),
  /** Label matches a regular expression (anchored, like Alertmanager's `=~`). */
  matchRe: labels.optional(),
};

/** A URL, or one built from an alert label (`http://{{ labels.instance }}`, checked in normalize-config.ts). */
const goUrl = z.string().superRefine((s, ctx) => {
  if (s.includes('{{')) return;
  const r = httpUrl.safeParse(s);
  if (!r.success) for (const i of r.error.issues) ctx.addIssue({ code: 'custom', message: i.message });
});

export const rawTarget = z.strictObject({
  name: nonEmpty,
  ...matchers,
  go: goUrl.optional(),
  /** Where a `go` URL built from labels may connect: CIDRs and host:port patterns. */
  allow: z.array(nonEmpty).min(1).optional(),
  prometheus: z
    .strictObject({
      url: httpUrl,
      selector: nonEmpty,
      lookback: seconds(1).optional(),
      step: seconds(1).optional(),
    })
    .optional(),
  cgroup: nonEmpty.optional(),
  pid: int(1, 2 ** 31).optional(),
  hostFiles: z.boolean().optional(),
  duration: seconds(0).optional(),
  interval: seconds(0.1).optional(),
  timeout: seconds(0.1).optional(),
});

/** The channel types, in the order the docs list them. */
export const CHANNEL_TYPES = ['stdout', 'file', 'slack', 'email'] as const;

/** What a channel may be called: a name routes refer to and metrics label. */
export const CHANNEL_NAME = /^[a-z0-9][a-z0-9_-]*$/;

export const rawChannel = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('stdout') }),
  z.strictObject({ type: z.literal('file'), path: nonEmpty }),
  z.strictObject({
    type: z.literal('slack'),
    token: nonEmpty,
    channel: nonEmpty,
    apiUrl: httpUrl.optional(),
    timeout: seconds(0.1).optional(),
  }),
  z.strictObject({
    type: z.literal('email'),
    host: nonEmpty,
    port: int(1, 65535).optional(),
    secure: z.boolean().optional(),
    ignoreTLS: z.boolean().optional(),
    user: nonEmpty.optional(),
    password: nonEmpty.optional(),
    from: nonEmpty,
    to: z.array(nonEmpty).min(1),
    timeout: seconds(0.1).optional(),
  }),
]);

export const rawConfig = z.strictObject({
  server: z
    .strictObject({
      host: nonEmpty.optional(),
      port: int(0, 65535).optional(),
      bodyLimit: bytes(1024).optional(),
      dataDir: nonEmpty.optional(),
      // Linked from every Slack post, email and runbook: a user or password in it would be sent to them all.
      externalUrl: httpUrl
        .refine((u) => {
          const url = new URL(u);
          return url.username === '' && url.password === '';
        }, 'must not hold a user or password (the URL is linked from every notification)')
        .optional(),
      allowedHosts: z.array(nonEmpty).optional(),
      requestTimeout: seconds(1).optional(),
      headersTimeout: seconds(1).optional(),
      maxUnauthenticatedBodies: int(1, 100_000).optional(),
    })
    .optional(),
  store: z
    .strictObject({
      // Several replicas share one PostgreSQL; absent, SQLite under server.dataDir.
      url: z
        .string()
        .regex(
          STORE_URL_PATTERN,
          'must be a postgres:// or postgresql:// URL (absent: SQLite under server.dataDir)',
        )
        .optional(),
      poolSize: int(1, 100).optional(),
    })
    .optional(),
  auth: z
    .strictObject({
      bearerTokens: z.array(nonEmpty).optional(),
      basic: z.array(z.strictObject({ username: nonEmpty, password: nonEmpty })).optional(),
      hmac: z
        .strictObject({
          secret: z.string().min(16, 'an HMAC secret needs at least 16 characters'),
          signatureHeader: nonEmpty.optional(),
          timestampHeader: nonEmpty.optional(),
          window: seconds(1).optional(),
        })
        .optional(),
      web: z
        .strictObject({
          bearerTokens: z.array(nonEmpty).optional(),
          basic: z.array(z.strictObject({ username: nonEmpty, password: nonEmpty })).optional(),
          proxy: z
            .strictObject({
              trustedAddresses: z.array(ipRange).min(1),
              userHeader: headerName.optional(),
            })
            .optional(),
        })
        .optional(),
    })
    .optional(),
  retention: z
    .strictObject({
      maxAge: seconds(60).optional(),
      maxBytes: bytes(1024 * 1024).optional(),
      interval: seconds(1).optional(),
    })
    .optional(),
  rules: z
    .strictObject({
      dirs: z.array(nonEmpty).optional(),
      templates: z.array(nonEmpty).optional(),
      noDefaults: z.boolean().optional(),
    })
    .optional(),
  targets: z.array(rawTarget).optional(),
  // Channel names are checked beside the schema (load-config.ts channelNameIssues): a bad record key
  // would stop zod from checking the channel itself, and both problems belong in one report.
  channels: z.record(z.string(), rawChannel).optional(),
  routes: z
    .array(
      z.strictObject({ ...matchers, channels: z.array(nonEmpty).min(1), continue: z.boolean().optional() }),
    )
    .optional(),
  defaultRoute: z.strictObject({ channels: z.array(nonEmpty).min(1) }).optional(),
  outbox: z
    .strictObject({
      maxAttempts: int(1, 100_000).optional(),
      baseDelay: seconds(0.001).optional(),
      maxDelay: seconds(0.001).optional(),
      retryFor: seconds(0.001).optional(),
      drain: seconds(0).optional(),
      concurrency: int(1, 64).optional(),
      lease: seconds(1).optional(),
      poll: seconds(0.01).optional(),
    })
    .optional(),
  pipeline: z
    .strictObject({ concurrency: int(1, 64).optional(), takeOverAfter: seconds(1).optional() })
    .optional(),
});

export type RawConfig = z.output<typeof rawConfig>;
export type RawTarget = z.output<typeof rawTarget>;
