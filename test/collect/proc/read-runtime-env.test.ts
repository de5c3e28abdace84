import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRuntimeEnv } from '../../../engine/collect/proc/read-runtime-env.js';

describe('readRuntimeEnv', () => {
  it("keeps a live process's runtime variables and nothing else from its environment", async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)'], {
      env: { GOMEMLIMIT: '512MiB', GOGC: 'off', API_TOKEN: 'hunter2', PATH: '/usr/bin' },
      stdio: 'ignore',
    });
    try {
      await new Promise((r) => child.once('spawn', r));
      const { env, note } = await readRuntimeEnv(child.pid!);
      expect(note).toBeUndefined();
      expect(env).toEqual({ GOMEMLIMIT: '512MiB', GOGC: 'off' });
    } finally {
      child.kill();
    }
  });

  it('reads an environment with none of them as known-empty, and an unreadable one as unknown', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mt-environ-'));
    mkdirSync(join(root, '41'));
    writeFileSync(join(root, '41', 'environ'), 'HOME=/root\0PASSWORD=x=y\0GOMEMLIMITX=1\0=odd\0');
    expect(await readRuntimeEnv(41, root)).toEqual({ env: {} });
    const gone = await readRuntimeEnv(42, root);
    expect(gone.env).toBeUndefined();
    expect(gone.note).toMatch(/42\/environ not readable \(ENOENT\); GOMEMLIMIT and GOGC unknown/);
  });
});
