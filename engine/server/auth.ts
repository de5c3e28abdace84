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

/**
 * Bearer token or basic auth, as Alertmanager's `http_config` sends them
 * (`authorization: { credentials }` → `Bearer …`; `basic_auth` → `Basic base64(user:pass)`).
 * Either configured scheme is accepted. Every candidate is compared, so timing does not tell
 * which one was close.
 */
export function checkCredentials(auth: AuthConfig, header: string | undefined): AuthResult {
  if (!authRequired(auth)) return { ok: true };
  if (header === undefined || header === '') return { ok: false, message: 'missing Authorization header' };
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const value = space < 0 ? '' : header.slice(space + 1).trim();
  let ok = false;
  if (scheme === 'bearer') {
    for (const t of auth.bearerTokens) ok = safeEqual(value, t.reveal()) || ok;
  } else if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon < 0 ? decoded : decoded.slice(0, colon);
    const pass = colon < 0 ? '' : decoded.slice(colon + 1);
    for (const b of auth.basic)
      ok = (safeEqual(user, b.username) && safeEqual(pass, b.password.reveal())) || ok;
  } else {
    return { ok: false, message: `unsupported authorization scheme` };
  }
  return ok ? { ok: true } : { ok: false, message: 'invalid credentials' };
}

/** Signatures seen inside the replay window; an exact replay within the window is refused too. */
export class ReplayCache {
  private readonly seen = new Map<string, number>();
  constructor(private readonly max = 10_000) {}
  /** False when the signature was already used. */
  remember(sig: string, expiresAt: number, now: number): boolean {
    if (this.seen.has(sig)) return false;
    if (this.seen.size >= this.max) {
      for (const [k, exp] of this.seen) if (exp <= now) this.seen.delete(k);
      if (this.seen.size >= this.max) this.seen.delete(this.seen.keys().next().value as string);
    }
    this.seen.set(sig, expiresAt);
    return true;
  }
}

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
  replay: ReplayCache,
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
  if (!replay.remember(sig, (Number(ts) + hmac.windowSeconds) * 1000, nowMs)) {
    return { ok: false, message: 'signature already used (replay)' };
  }
  return { ok: true };
}
