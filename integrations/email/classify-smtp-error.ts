import { NotifyError } from '../../engine/notify/notify-error.js';

interface SmtpLikeError {
  code?: string;
  responseCode?: number;
  command?: string;
}

/**
 * nodemailer's error codes (lib/errors in nodemailer 10: EAUTH, ECONNECTION, ETIMEDOUT, ESOCKET,
 * EDNS, EENVELOPE, EMESSAGE, …) and SMTP reply codes (RFC 5321 §4.2.1: 4yz transient, 5yz
 * permanent) → our reasons. The message names the configured server (host:port, from the config,
 * never from the error) and carries codes only: never credentials or mail addresses.
 */
export function classifySmtpError(err: unknown, server?: { host: string; port: number }): NotifyError {
  const e = (err ?? {}) as SmtpLikeError;
  const code = e.code ?? '';
  const rc = e.responseCode;
  const at = server ? ` ${formatHostPort(server.host, server.port)}` : '';
  const what = `smtp${at}${e.command ? ` ${e.command}` : ''}: ${code || 'error'}${rc ? ` ${rc}` : ''}`;
  const fail = (reason: ConstructorParameters<typeof NotifyError>[0]) =>
    new NotifyError(reason, what, undefined, { cause: err });
  if (code === 'EAUTH' || code === 'ENOAUTH' || rc === 530 || rc === 535) return fail('authError');
  if (code === 'ETIMEDOUT' || code === 'ETIME') return fail('timeout');
  if (rc !== undefined && rc >= 400 && rc < 500) return fail('serverError');
  if (rc !== undefined && rc >= 500) return fail('clientError');
  if (code === 'EENVELOPE' || code === 'EMESSAGE' || code === 'EADDRESS') return fail('clientError');
  return fail('serverError');
}

/** `host:port`, with an IPv6 literal in brackets. */
function formatHostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}
