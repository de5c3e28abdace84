import type { AllowList } from '../collect/labelled/address-allowlist.js';
import type { LabelUrlTemplate } from '../collect/labelled/label-url.js';
import type { IpRange } from '../shared/ip-ranges.js';
import type { Secret } from './secret.js';

/**
 * The normalized server configuration: every default applied, every secret wrapped. The YAML
 * file's shape (all optional) lives in config-schema.ts; docs/config.md documents each key.
 */
export interface LabelMatcher {
  /** Label equals value. */
  equal: Record<string, string>;
  /** Label matches the regular expression, anchored at both ends like Alertmanager's `=~`. */
  regex: Record<string, RegExp>;
}

export interface WebCredentials {
  bearerTokens: Secret[];
  basic: { username: string; password: Secret }[];
  /** An auth proxy in front of the pages (oauth2-proxy): its identity header is believed from these addresses only. */
  proxy?: {
    trustedAddresses: IpRange[];
    /** Lower-case header name carrying the signed-in user, e.g. `x-forwarded-user`. */
    userHeader: string;
  };
}

export interface AuthConfig {
  bearerTokens: Secret[];
  basic: { username: string; password: Secret }[];
  /** Credentials for the web pages only (a browser cannot sign an HMAC); the webhook ones work there too. */
  web?: WebCredentials;
  hmac?: {
    secret: Secret;
    signatureHeader: string;
    timestampHeader: string;
    windowSeconds: number;
  };
}

export interface TargetConfig {
  name: string;
  match: LabelMatcher;
  /** `http(s)://host:port` of a Go service serving /debug/vars, /debug/pprof/heap and /metrics. */
  go?: URL;
  /**
   * Instead of `go`: the Go service's URL built from an alert label (`http://{{ labels.instance }}`),
   * only ever connected to inside `allow` (engine/collect/labelled/).
   */
  goFromLabels?: { template: LabelUrlTemplate; allow: AllowList };
  prometheus?: { url: URL; selector: string; lookbackSeconds: number; stepSeconds: number };
  cgroupDir?: string;
  pid?: number;
  /**
   * memtriage runs on the target's host (node-agent mode): its /proc/vmstat and
   * /proc/pressure/memory are the service's host evidence. Default: true when `pid` or `cgroup`
   * is set (both are read locally), false otherwise.
   */
  hostFiles: boolean;
  durationMs: number;
  intervalMs: number;
  requestTimeoutMs: number;
}

export type ChannelConfig =
  | { type: 'stdout'; name: string }
  | { type: 'file'; name: string; path: string }
  | {
      type: 'slack';
      name: string;
      token: Secret;
      /** Channel ID (C…) the incident threads go to. */
      channel: string;
      /** Base URL of the Web API; tests point it at a local fake. Default https://slack.com/api/. */
      apiUrl?: string;
      timeoutMs: number;
    }
  | {
      type: 'email';
      name: string;
      host: string;
      port: number;
      /** Implicit TLS (port 465). Otherwise STARTTLS when the server offers it, unless ignoreTLS. */
      secure: boolean;
      ignoreTLS: boolean;
      user?: string;
      password?: Secret;
      from: string;
      to: string[];
      timeoutMs: number;
    };

/**
 * What one integration receives: its member of ChannelConfig without the discriminant. Integrations
 * take their config type from here, so the config schema and the channels cannot drift apart.
 */
export type ChannelConfigOf<T extends ChannelConfig['type']> = Omit<
  Extract<ChannelConfig, { type: T }>,
  'type'
>;

export interface RouteConfig {
  match: LabelMatcher;
  channels: string[];
  /** Keep matching later routes after this one (Alertmanager's `continue`). */
  continue: boolean;
}

export interface OutboxConfig {
  /** Secondary bound: a delivery is dead after this many failed attempts even within `retryForMs`. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A delivery keeps being retried for this long after its first failure, then it is dead. */
  retryForMs: number;
  /** On shutdown, how long in-flight and due deliveries may still be sent before the process exits. */
  drainMs: number;
  /** Deliveries sent at once. */
  concurrency: number;
  /** How long a claimed delivery is reserved before another worker may take it. */
  leaseMs: number;
  pollMs: number;
}

export interface ServerConfig {
  /** The file it came from, for messages; absent for the embedded defaults. */
  file?: string;
  server: {
    host: string;
    port: number;
    bodyLimitBytes: number;
    dataDir: string;
    /** Where users and Alertmanager reach the server (a proxy, a DNS name); its host is accepted in `Host`. */
    externalUrl?: URL;
    /** More host names accepted in the `Host` header (DNS rebinding defence). */
    allowedHosts: string[];
    /** Whole request, headers and body: a slower request is cut off. */
    requestTimeoutMs: number;
    headersTimeoutMs: number;
    /** Webhook bodies read at once before any credential was checked (no auth, or HMAC-only). */
    maxUnauthenticatedBodies: number;
  };
  /**
   * Where incidents, the outbox and (for PostgreSQL) bundles live: `url` absent is SQLite under
   * `server.dataDir`; a `postgres://` URL is a PostgreSQL shared by several replicas.
   */
  store: { url?: Secret; poolSize: number };
  auth: AuthConfig;
  rules: { dirs: string[]; templates: string[]; noDefaults: boolean };
  targets: TargetConfig[];
  channels: Record<string, ChannelConfig>;
  routes: RouteConfig[];
  defaultChannels: string[];
  outbox: OutboxConfig;
  pipeline: {
    concurrency: number;
    /**
     * Shared store: an unfinished incident no step has touched for this long is taken over by any
     * replica (its own replica died half-way). A live replica touches it at every stage.
     */
    takeOverAfterMs: number;
  };
  /** Finished incidents older than maxAge, or the oldest past maxBytes, are deleted with their bundles. */
  retention: { maxAgeMs: number; maxBytes: number; intervalMs: number };
}
