import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnosis } from '../../engine/diagnose/types.js';
import { renderRunbook } from '../../engine/runbook/index.js';
import type { Runbook } from '../../engine/runbook/types.js';
import { cause } from '../fixtures/runbook/hand-diagnoses.js';
import { realDiagnosis } from './real-runbooks.js';

/** Hostile alert labels and profile function names: each tries to run `touch pwned-N` when pasted. */
const HOSTILE_INSTANCES = [
  'x;touch pwned-1;#',
  "h:1';touch pwned-2;'",
  'h:1$(touch pwned-3)',
  'h:1`touch pwned-4`',
  'h:1\ntouch pwned-5',
  'h:1" ; touch pwned-6 ; "',
];
const HOSTILE_FUNCTION = "main.(*T).f';touch pwned-7;'";

/**
 * Runs every shell code block of a runbook in an empty folder whose PATH holds inert stubs for the
 * tools the commands name (curl, go, grep, …) and the real `touch`: if any value escaped its
 * quoting, a pwned-N file appears.
 */
function runShellBlocks(rb: Runbook): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'mt-sandbox-'));
  const bin = join(dir, 'bin');
  const work = join(dir, 'work');
  execFileSync('mkdir', ['-p', bin, work]);
  for (const tool of ['curl', 'go', 'grep', 'head', 'sed', 'sort', 'uniq', 'awk', 'cat', 'kill', 'diff']) {
    writeFileSync(join(bin, tool), '#!/bin/sh\nexit 0\n');
    chmodSync(join(bin, tool), 0o755);
  }
  execFileSync('ln', [
    '-s',
    execFileSync('sh', ['-c', 'command -v touch']).toString().trim(),
    join(bin, 'touch'),
  ]);
  const blocks = rb.blocks.flatMap((b) =>
    b.kind === 'code' && b.lang === 'sh'
      ? [b.code]
      : b.kind === 'steps'
        ? b.steps.flatMap((s) => (s.code && s.code.lang === 'sh' ? [s.code.code] : []))
        : [],
  );
  for (const code of blocks) {
    try {
      execFileSync('/bin/sh', ['-c', code], { cwd: work, env: { PATH: bin }, stdio: 'ignore' });
    } catch {
      // A stub's empty output makes some pipelines fail; only side effects matter here.
    }
  }
  expect(blocks.length).toBeGreaterThan(0);
  return readdirSync(work).filter((f) => f.startsWith('pwned'));
}

async function onTop(bundle: string, runbook: string): Promise<Diagnosis> {
  const d = await realDiagnosis(bundle);
  return { ...d, outcome: 'cause-found', causes: [cause(runbook, `Rule ${runbook}`, []), ...d.causes] };
}

describe('runbook commands with hostile values', () => {
  for (const [runbook, bundle] of [
    ['go-goroutine-leak', 'pub-goroutine-leak'],
    ['go-heap-fragmentation', 'pub-fragmentation'],
    ['go-slice-overcap', 'pub-slice-overcap'],
    ['go-map-leak', 'pub-map-leak'],
    ['go-heap-growth', 'pub-map-leak'],
  ] as const) {
    it(`${runbook}: pasting every shell block runs nothing the alert or the profile supplied`, async () => {
      const d = await onTop(bundle, runbook);
      d.growingSites = d.growingSites.map((s, i) => (i === 0 ? { ...s, function: HOSTILE_FUNCTION } : s));
      for (const instance of HOSTILE_INSTANCES) {
        const rb = renderRunbook(d, { target: { instance, pid: '42' } });
        expect(runShellBlocks(rb), instance).toEqual([]);
      }
    });
  }

  it('hands `go tool pprof -list` a regexp that matches the method literally', async () => {
    const d = await onTop('pub-slice-overcap', 'go-slice-overcap');
    d.growingSites = d.growingSites.map((s, i) => (i === 0 ? { ...s, function: 'main.(*T).f' } : s));
    const rb = renderRunbook(d);
    const text = JSON.stringify(rb.blocks);
    expect(text).toContain(String.raw`-list 'main\\.\\(\\*T\\)\\.f'`);
    expect(existsSync('pwned-1')).toBe(false);
  });
});
