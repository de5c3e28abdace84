import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCaptured, startReplayServer, type ReplayServer } from '../collect/helpers/replay-server.js';
import { runCli } from '../helpers/run-cli.js';

let dir: string;
let go: ReplayServer;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mt-cli-collect-'));
  go = await startReplayServer(loadCaptured());
});
afterEach(async () => {
  await go.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('memtriage collect and the host files', () => {
  it('reads this host’s /proc/vmstat by default, and not with --no-host-files (a service on another host)', async () => {
    const local = join(dir, 'local');
    expect((await runCli('collect', '--target', go.url, '--duration', '0s', '--out', local)).code).toBe(0);
    const [snap] = readdirSync(join(local, 'proc'));
    expect(readdirSync(join(local, 'proc', snap!))).toContain('vmstat');

    const remote = join(dir, 'remote');
    const r = await runCli(
      'collect',
      '--target',
      go.url,
      '--duration',
      '0s',
      '--no-host-files',
      '--out',
      remote,
    );
    expect(r.code).toBe(0);
    expect(existsSync(join(remote, 'memstats.jsonl'))).toBe(true);
    expect(existsSync(join(remote, 'proc'))).toBe(false);
  });
});
