import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { AuthConfig } from '../config/types.js';
import { ipRangeMatcher } from '../shared/ip-ranges.js';

export type AuthResult = { ok: true } | { ok: false; message: string };

/**
 * Constant-time string equality. Both sides are hashed first so the comparison has a fixed
 * length and `timingSafeEqual` never throws or leaks the secret's length.
 */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

export function authRequired(auth: AuthConfig): boolean {
  return auth.bearerTokens.length > 0 || auth.basic.length > 0;
}

/** Nothing at all is configured: webhooks and pages are open (allowed on a loopback address only). */
export function authNone(auth: AuthConfig): boolean {
  return !authRequired(auth) && !auth.hmac && !webCredentialsConfigured(auth);
}

function webCredentialsConfigured(auth: AuthConfig): boolean {
  return (
    (auth.web?.bearerTokens.length ?? 0) > 0 ||
    (auth.web?.basic.length ?? 0) > 0 ||
    auth.web?.proxy !== undefined
  );
}

/** Whether a person with a browser can sign in: Basic users (prompted by the challenge) or an auth proxy. */
export function browsersCanSignIn(auth: AuthConfig): boolean {
  return (
    authNone(auth) ||
    auth.basic.length > 0 ||
    (auth.web?.basic.length ?? 0) > 0 ||
    auth.web?.proxy !== undefined
  );
}

type Credentials = Pick<AuthConfig, 'bearerTokens' | 'basic'>;

/**
 * Bearer token or basic auth, as Alertmanager's `http_config` sends them
 * (`authorization: { credentials }` → `Bearer …`; `basic_auth` → `Basic base64(user:pass)`).
 * Either configured scheme is accepted. Every candidate is compared, user name and password both,
 * so timing does not tell which one was close (nor whether a user name exists).
 */
function matchCredentials(
  creds: Credentials,
  header: string | undefined,
): { ok: true; user?: string } | { ok: false; message: string } {
  if (header === undefined || header === '') return { ok: false, message: 'missing Authorization header' };
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const value = space < 0 ? '' : header.slice(space + 1).trim();
  let ok = false;
  let user: string | undefined;
  if (scheme === 'bearer') {
    for (const t of creds.bearerTokens) ok = safeEqual(value, t.reveal()) || ok;
  } else if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    user = colon < 0 ? decoded : decoded.slice(0, colon);
    const pass = colon < 0 ? '' : decoded.slice(colon + 1);
    for (const b of creds.basic) {
      const userOk = safeEqual(user, b.username);
      const passOk = safeEqual(pass, b.password.reveal());
      ok = (userOk && passOk) || ok;
    }
  } else {
    return { ok: false, message: `unsupported authorization scheme` };
  }
  if (!ok) return { ok: false, message: 'invalid credentials' };
  return user === undefined ? { ok: true } : { ok: true, user };
}

/** The webhooks' bearer or basic credentials (HMAC is checked after the body, see verifyHmac). */
export function checkCredentials(auth: AuthConfig, header: string | undefined): AuthResult {
  if (!authRequired(auth)) return { ok: true };
  const r = matchCredentials(auth, header);
  return r.ok ? { ok: true } : r;
}

/** What the web guard needs of a request. */
export interface WebRequest {
  authorization: string | undefined;
  /** The TCP peer (never X-Forwarded-For: any client can write that). */
  remoteAddress: string | undefined;
  header: (lowerCaseName: string) => string | string[] | undefined;
}

export type WebAuthResult =
  | { ok: true; user?: string; via: 'open' | 'credentials' | 'proxy' }
  | {
      ok: false;
      message: string;
      /** The `WWW-Authenticate` value: a Basic challenge makes a browser ask for a user and password. */
      challenge: string;
      /** The request carried the proxy's user header from an address that is not trusted. */
      untrustedIdentity?: boolean;
    };

/** Longest user name believed from a proxy header; longer (or with control characters) is refused. */
const MAX_PROXY_USER = 256;

/**
 * The web pages' guard. With no auth at all (loopback only) they are open. Otherwise a request
 * passes with, in this order:
 * 1. the user header of an auth proxy (`auth.web.proxy`, oauth2-proxy style), believed only when
 *    the TCP peer is one of `trustedAddresses`: from any other address the header is ignored;
 * 2. the webhook's or `auth.web`'s bearer token or Basic user and password, compared in constant time.
 * A refusal carries a Basic challenge when there are Basic users (a browser then asks for them),
 * else a Bearer one. With HMAC only and nothing for the web, the pages are closed, never open.
 */
export function createWebGuard(auth: AuthConfig): (req: WebRequest) => WebAuthResult {
  if (authNone(auth)) return () => ({ ok: true, via: 'open' });
  const creds: Credentials = {
    bearerTokens: [...auth.bearerTokens, ...(auth.web?.bearerTokens ?? [])],
    basic: [...auth.basic, ...(auth.web?.basic ?? [])],
  };
  const challenge =
    creds.basic.length > 0 ? 'Basic realm="memtriage", charset="UTF-8"' : 'Bearer realm="memtriage"';
  const proxy = auth.web?.proxy;
  const trusted = proxy ? ipRangeMatcher(proxy.trustedAddresses) : () => false;
  return (req) => {
    let untrustedIdentity = false;
    if (proxy) {
      const raw = req.header(proxy.userHeader);
      if (raw !== undefined) {
        if (!trusted(req.remoteAddress)) {
          untrustedIdentity = true;
        } else {
          const user = typeof raw === 'string' ? raw.trim() : undefined;
          if (user !== undefined && user !== '' && user.length <= MAX_PROXY_USER && !/[\p{Cc}]/u.test(user)) {
            return { ok: true, user, via: 'proxy' };
          }
          return { ok: false, message: `unusable ${proxy.userHeader} header from the auth proxy`, challenge };
        }
      }
    }
    if (creds.bearerTokens.length === 0 && creds.basic.length === 0) {
      return {
        ok: false,
        message: proxy
          ? 'sign in through the auth proxy'
          : 'the web pages need credentials: configure auth.web (HMAC is for webhooks)',
        challenge,
        ...(untrustedIdentity ? { untrustedIdentity } : {}),
      };
    }
    const r = matchCredentials(creds, req.authorization);
    if (r.ok) return { ...r, via: 'credentials' };
    return { ...r, challenge, ...(untrustedIdentity ? { untrustedIdentity } : {}) };
  };
}

/** Records a signature until it expires; false when it was already used (see Store.rememberSignature). */
export type RememberSignature = (signature: string, expiresAt: number, now: number) => Promise<boolean>;

/** `sha256=<hex>` of HMAC-SHA256(secret, `<timestamp>.<raw body>`), the scheme Slack and Stripe use. */
export function signBody(secret: string, timestamp: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

/**
 * Optional HMAC over the raw body with a timestamp header: a request older or newer than the
 * replay window is refused, and so is a signature already seen within it.
 */
export async function verifyHmac(
  hmac: NonNullable<AuthConfig['hmac']>,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
  nowMs: number,
  remember: RememberSignature,
): Promise<AuthResult> {
  const sig = headers[hmac.signatureHeader.toLowerCase()];
  const ts = headers[hmac.timestampHeader.toLowerCase()];
  if (typeof sig !== 'string' || typeof ts !== 'string') {
    return { ok: false, message: `missing ${hmac.signatureHeader} or ${hmac.timestampHeader} header` };
  }
  if (!/^\d{1,12}$/.test(ts)) return { ok: false, message: `${hmac.timestampHeader} must be unix seconds` };
  const skew = Math.abs(nowMs / 1000 - Number(ts));
  if (skew > hmac.windowSeconds) return { ok: false, message: 'timestamp outside the replay window' };
  const expected = signBody(hmac.secret.reveal(), ts, body);
  if (!safeEqual(sig, expected)) return { ok: false, message: 'bad signature' };
  // Kept until the timestamp leaves the window: until then the signature would pass every other check.
  if (!(await remember(sig, (Number(ts) + hmac.windowSeconds) * 1000, nowMs))) {
    return { ok: false, message: 'signature already used (replay)' };
  }
  return { ok: true };
}
