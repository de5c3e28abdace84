import { main } from '../../engine/cli/main.js';

/** The CLI in process, as a user runs it but with output captured: its exit code, stdout and stderr. */
export async function runCli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t), isTty: false });
  return { code, out, err };
}
