import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import type { ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server on loopback. STARTTLS is disabled: smtp-server's built-in certificate has
 * expired (toolchain.md gotcha 8). `reject` scripts SMTP reply codes for the next messages.
 */
export async function startSmtp(opts: { port?: number; auth?: { user: string; pass: string } } = {}) {
  const received: ParsedMail[] = [];
  const reject: { code: number; message: string }[] = [];
  const server = new SMTPServer({
    disabledCommands: opts.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    allowInsecureAuth: true,
    authOptional: !opts.auth,
    logger: false,
    onAuth(auth, _session, cb) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.pass)
        return cb(null, { user: auth.username });
      return cb(new Error('Invalid username or password'));
    },
    onData(stream, _session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (d: Buffer) => chunks.push(d));
      stream.on('end', () => {
        const r = reject.shift();
        if (r) return cb(Object.assign(new Error(r.message), { responseCode: r.code }));
        simpleParser(Buffer.concat(chunks)).then(
          (m) => {
            received.push(m);
            cb();
          },
          (e: Error) => cb(e),
        );
      });
    },
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', r));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, reject, close: () => new Promise<void>((r) => server.close(() => r())) };
}
