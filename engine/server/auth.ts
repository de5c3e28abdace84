import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { AuthConfig } from '../config/types.js';

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
  return (auth.web?.bearerTokens.length ?? 0) > 0 || (auth.web?.basic.length ?? 0) > 0;
}

type Credentials = Pick<AuthConfig, 'bearerTokens' | 'basic'>;

/**
 * Bearer token or basic auth, as Alertmanager's `http_config` sends them
 * (`authorization: { credentials }` → `Bearer …`; `basic_auth` → `Basic base64(user:pass)`).
 * Either configured scheme is accepted. Every candidate is compared, user name and password both,
 * so timing does not tell which one was close (nor whether a user name exists).
 */
function matchCredentials(creds: Credentials, header: string | undefined): AuthResult {
  if (header === undefined || header === '') return { ok: false, message: 'missing Authorization header' };
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const value = space < 0 ? '' : header.slice(space + 1).trim();
  let ok = false;
  if (scheme === 'bearer') {
    for (const t of creds.bearerTokens) ok = safeEqual(value, t.reveal()) || ok;
  } else if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon < 0 ? decoded : decoded.slice(0, colon);
    const pass = colon < 0 ? '' : decoded.slice(colon + 1);
    for (const b of creds.basic) {
      const userOk = safeEqual(user, b.username);
      const passOk = safeEqual(pass, b.password.reveal());
      ok = (userOk && passOk) || ok;
    }
  } else {
    return { ok: false, message: `unsupported authorization scheme` };
  }
  return ok ? { ok: true } : { ok: false, message: 'invalid credentials' };
}

/** The webhooks' bearer or basic credentials (HMAC is checked after the body, see verifyHmac). */
export function checkCredentials(auth: AuthConfig, header: string | undefined): AuthResult {
  if (!authRequired(auth)) return { ok: true };
  return matchCredentials(auth, header);
}

/**
 * The web pages: the webhook credentials or `auth.web`'s. Whenever any auth is configured the
 * pages need one of them; with HMAC only (which a browser cannot send) and no `auth.web`, they are
 * closed rather than open.
 */
export function checkWebCredentials(auth: AuthConfig, header: string | undefined): AuthResult {
  if (authNone(auth)) return { ok: true };
  const creds: Credentials = {
    bearerTokens: [...auth.bearerTokens, ...(auth.web?.bearerTokens ?? [])],
    basic: [...auth.basic, ...(auth.web?.basic ?? [])],
  };
  if (creds.bearerTokens.length === 0 && creds.basic.length === 0) {
    return {
      ok: false,
      message: 'the web pages need credentials: configure auth.web (HMAC is for webhooks)',
    };
  }
  return matchCredentials(creds, header);
}

/** Records a signature until it expires; false when it was already used (see Store.rememberSignature). */
export type RememberSignature = (signature: string, expiresAt: number, now: number) => boolean;

/** `sha256=<hex>` of HMAC-SHA256(secret, `<timestamp>.<raw body>`), the scheme Slack and Stripe use. */
export function signBody(secret: string, timestamp: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

/**
 * Optional HMAC over the raw body with a timestamp header: a request older or newer than the
 * replay window is refused, and so is a signature already seen within it.
 */
export function verifyHmac(
  hmac: NonNullable<AuthConfig['hmac']>,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
  nowMs: number,
  remember: RememberSignature,
): AuthResult {
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
  if (!remember(sig, (Number(ts) + hmac.windowSeconds) * 1000, nowMs)) {
    return { ok: false, message: 'signature already used (replay)' };
  }
  return { ok: true };
}
