import { parseAllowList } from '../collect/labelled/address-allowlist.js';
import { isLabelTemplate, parseLabelUrlTemplate } from '../collect/labelled/label-url.js';
import type { DataPath } from '../shared/yaml-source.js';
import type { RawConfig, RawTarget } from './config-schema.js';
import { compileMatchRe } from './cross-references.js';
import { defaultConfig } from './default-config.js';
import { Secret } from './secret.js';
import type { ChannelConfig, LabelMatcher, ServerConfig, TargetConfig } from './types.js';

export interface NormalizeProblem {
  path: DataPath;
  message: string;
}

/** Only the regexes that compile: the others are crossReferenceProblems' to report. */
function matcher(
  eq: Record<string, string> | undefined,
  re: Record<string, string> | undefined,
): LabelMatcher {
  const regex: Record<string, RegExp> = {};
  for (const [k, v] of Object.entries(re ?? {})) {
    const compiled = compileMatchRe(v);
    if (compiled instanceof RegExp) regex[k] = compiled;
  }
  return { equal: { ...(eq ?? {}) }, regex };
}

/**
 * `go`: a fixed URL, or one built from an alert label, which needs `allow` (docs/config.md,
 * "Targets from alert labels"). `allow` without a label-built URL is refused too: it would read as
 * a restriction that restricts nothing.
 */
function goTarget(
  go: string,
  allow: readonly string[] | undefined,
  at: DataPath,
  problems: NormalizeProblem[],
): Pick<TargetConfig, 'go' | 'goFromLabels'> {
  if (!isLabelTemplate(go)) {
    if (allow !== undefined) {
      problems.push({
        path: [...at, 'allow'],
        message:
          '`allow` applies to a go URL built from alert labels ({{ labels.NAME }}); this go URL is fixed',
      });
    }
    return { go: new URL(go) };
  }
  const template = parseLabelUrlTemplate(go);
  if (typeof template === 'string') {
    problems.push({ path: [...at, 'go'], message: template });
    return {};
  }
  if (allow === undefined) {
    problems.push({
      path: [...at, 'go'],
      message:
        'a go URL built from alert labels needs `allow`: the CIDRs and host:port patterns it may connect to (an alert must not choose any host)',
    });
    return {};
  }
  const parsed = parseAllowList(allow);
  for (const [j, message] of parsed.problems) problems.push({ path: [...at, 'allow', j], message });
  return { goFromLabels: { template, allow: parsed.list } };
}

const ms = (s: number | undefined, fallback: number) => (s === undefined ? fallback : Math.round(s * 1000));

/**
 * One target as the collector uses it, with the problems only a target that passed the schema can
 * have (nothing to fetch, `allow` without a label-built `go`, a bad template or allow list).
 * Separate so that parseConfig can check each valid target even when another part of the file fails
 * the schema.
 */
export function normalizeTarget(
  t: RawTarget,
  at: DataPath,
  abs: (p: string) => string,
  problems: NormalizeProblem[],
): TargetConfig {
  if (t.allow !== undefined && t.go === undefined) {
    problems.push({
      path: [...at, 'allow'],
      message: '`allow` applies to a go URL built from alert labels ({{ labels.NAME }}); there is no go URL',
    });
  }
  if (!t.go && !t.prometheus && !t.cgroup && t.pid === undefined) {
    problems.push({ path: at, message: 'a target needs at least one of go, prometheus, cgroup, pid' });
  }
  const go = t.go !== undefined ? goTarget(t.go, t.allow, at, problems) : {};
  return {
    name: t.name,
    match: matcher(t.match, t.matchRe),
    ...go,
    ...(t.prometheus
      ? {
          prometheus: {
            url: new URL(t.prometheus.url),
            selector: t.prometheus.selector,
            lookbackSeconds: t.prometheus.lookback ?? 900,
            stepSeconds: t.prometheus.step ?? 15,
          },
        }
      : {}),
    ...(t.cgroup ? { cgroupDir: abs(t.cgroup) } : {}),
    ...(t.pid !== undefined ? { pid: t.pid } : {}),
    hostFiles: t.hostFiles ?? (t.pid !== undefined || t.cgroup !== undefined),
    durationMs: ms(t.duration, 10_000),
    intervalMs: ms(t.interval, 2_000),
    requestTimeoutMs: ms(t.timeout, 3_000),
  };
}

/**
 * Validated raw config → ServerConfig: defaults applied (after validation, as changesets'
 * config parser does), secrets wrapped, relative paths resolved against the config file, and each
 * target's own problems found (normalizeTarget). Routes' channels, regexes and duplicate names are
 * crossReferenceProblems' (read from the file as written, so they come with the schema's problems).
 * The built-in `stdout` channel always exists.
 */
export function normalizeConfig(
  raw: RawConfig,
  abs: (p: string) => string,
): { config: ServerConfig; problems: NormalizeProblem[] } {
  const d = defaultConfig();
  const problems: NormalizeProblem[] = [];
  const channels: Record<string, ChannelConfig> = { ...d.channels };
  for (const [name, c] of Object.entries(raw.channels ?? {})) {
    switch (c.type) {
      case 'stdout':
        channels[name] = { type: 'stdout', name };
        break;
      case 'file':
        channels[name] = { type: 'file', name, path: abs(c.path) };
        break;
      case 'slack':
        channels[name] = {
          type: 'slack',
          name,
          token: new Secret(c.token),
          channel: c.channel,
          ...(c.apiUrl ? { apiUrl: c.apiUrl } : {}),
          timeoutMs: ms(c.timeout, 10_000),
        };
        break;
      case 'email':
        channels[name] = {
          type: 'email',
          name,
          host: c.host,
          port: c.port ?? (c.secure ? 465 : 587),
          secure: c.secure ?? false,
          ignoreTLS: c.ignoreTLS ?? false,
          ...(c.user ? { user: c.user } : {}),
          ...(c.password ? { password: new Secret(c.password) } : {}),
          from: c.from,
          to: c.to,
          timeoutMs: ms(c.timeout, 15_000),
        };
        break;
    }
  }
  const routes = (raw.routes ?? []).map((r) => ({
    match: matcher(r.match, r.matchRe),
    channels: r.channels,
    continue: r.continue ?? false,
  }));
  const defaultChannels = raw.defaultRoute?.channels ?? d.defaultChannels;

  const targets = (raw.targets ?? []).map((t, i) => normalizeTarget(t, ['targets', i], abs, problems));

  const a = raw.auth ?? {};
  const config: ServerConfig = {
    server: {
      host: raw.server?.host ?? d.server.host,
      port: raw.server?.port ?? d.server.port,
      bodyLimitBytes: raw.server?.bodyLimit ?? d.server.bodyLimitBytes,
      dataDir: abs(raw.server?.dataDir ?? d.server.dataDir),
      ...(raw.server?.externalUrl ? { externalUrl: new URL(raw.server.externalUrl) } : {}),
      allowedHosts: raw.server?.allowedHosts ?? d.server.allowedHosts,
      requestTimeoutMs: ms(raw.server?.requestTimeout, d.server.requestTimeoutMs),
      headersTimeoutMs: ms(raw.server?.headersTimeout, d.server.headersTimeoutMs),
      maxUnauthenticatedBodies: raw.server?.maxUnauthenticatedBodies ?? d.server.maxUnauthenticatedBodies,
    },
    store: {
      ...(raw.store?.url !== undefined ? { url: new Secret(raw.store.url) } : {}),
      poolSize: raw.store?.poolSize ?? d.store.poolSize,
    },
    auth: {
      bearerTokens: (a.bearerTokens ?? []).map((t) => new Secret(t)),
      basic: (a.basic ?? []).map((b) => ({ username: b.username, password: new Secret(b.password) })),
      ...(a.hmac
        ? {
            hmac: {
              secret: new Secret(a.hmac.secret),
              signatureHeader: a.hmac.signatureHeader ?? 'X-Memtriage-Signature',
              timestampHeader: a.hmac.timestampHeader ?? 'X-Memtriage-Timestamp',
              windowSeconds: a.hmac.window ?? 300,
            },
          }
        : {}),
      ...(a.web
        ? {
            web: {
              bearerTokens: (a.web.bearerTokens ?? []).map((t) => new Secret(t)),
              basic: (a.web.basic ?? []).map((b) => ({
                username: b.username,
                password: new Secret(b.password),
              })),
              ...(a.web.proxy
                ? {
                    proxy: {
                      trustedAddresses: a.web.proxy.trustedAddresses,
                      userHeader: (a.web.proxy.userHeader ?? 'X-Forwarded-User').toLowerCase(),
                    },
                  }
                : {}),
            },
          }
        : {}),
    },
    rules: {
      dirs: (raw.rules?.dirs ?? []).map(abs),
      templates: (raw.rules?.templates ?? []).map(abs),
      noDefaults: raw.rules?.noDefaults ?? false,
    },
    targets,
    channels,
    routes,
    defaultChannels,
    outbox: {
      maxAttempts: raw.outbox?.maxAttempts ?? d.outbox.maxAttempts,
      baseDelayMs: ms(raw.outbox?.baseDelay, d.outbox.baseDelayMs),
      maxDelayMs: ms(raw.outbox?.maxDelay, d.outbox.maxDelayMs),
      retryForMs: ms(raw.outbox?.retryFor, d.outbox.retryForMs),
      drainMs: ms(raw.outbox?.drain, d.outbox.drainMs),
      concurrency: raw.outbox?.concurrency ?? d.outbox.concurrency,
      leaseMs: ms(raw.outbox?.lease, d.outbox.leaseMs),
      pollMs: ms(raw.outbox?.poll, d.outbox.pollMs),
    },
    pipeline: {
      concurrency: raw.pipeline?.concurrency ?? d.pipeline.concurrency,
      takeOverAfterMs: ms(raw.pipeline?.takeOverAfter, d.pipeline.takeOverAfterMs),
    },
    retention: {
      maxAgeMs: ms(raw.retention?.maxAge, d.retention.maxAgeMs),
      maxBytes: raw.retention?.maxBytes ?? d.retention.maxBytes,
      intervalMs: ms(raw.retention?.interval, d.retention.intervalMs),
    },
  };
  // With a shared store a replica takes over an incident left untouched this long: an acquisition
  // that lasts as long would be taken over (and run twice) while it is still running.
  if (config.store.url) {
    config.targets.forEach((t, i) => {
      const longest = t.durationMs + t.requestTimeoutMs;
      if (longest >= config.pipeline.takeOverAfterMs) {
        problems.push({
          path: ['targets', i, 'duration'],
          message: `with store.url, a target's duration plus its timeout (${longest / 1000} s) must be shorter than pipeline.takeOverAfter (${config.pipeline.takeOverAfterMs / 1000} s), or another replica takes the incident over while it is still being acquired`,
        });
      }
    });
  }
  return { config, problems };
}
