import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileChannel } from '../../../integrations/file/index.js';
import { fallbackRunbook } from '../../../engine/notify/fallback-runbook.js';
import { NotifyError } from '../../../engine/notify/notify-error.js';
import { sampleDiagnosis } from '../sample-diagnosis.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('file channel', () => {
  it('appends one JSON line per delivery with the whole runbook', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mt-file-'));
    const path = join(dir, 'sub', 'runbooks.jsonl');
    const ch = createFileChannel({ name: 'archive', path });
    const runbook = fallbackRunbook(sampleDiagnosis, 'test');
    const sig = new AbortController().signal;
    await ch.send(
      {
        id: 7,
        kind: 'open',
        incidentId: 'inc-1',
        payload: ch.render({ kind: 'open', incidentId: 'inc-1', runbook }),
      },
      sig,
    );
    await ch.send(
      {
        id: 8,
        kind: 'resolve',
        incidentId: 'inc-1',
        payload: ch.render({ kind: 'resolve', incidentId: 'inc-1', runbook }),
      },
      sig,
    );
    const lines = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      delivery: 7,
      kind: 'open',
      runbook: { title: 'orders: Go map grows without bound' },
    });
    expect(lines[1]).toMatchObject({ delivery: 8, kind: 'resolve' });
  });

  it('a write failure is a retryable server error', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mt-file-'));
    const blocker = join(dir, 'not-a-dir');
    writeFileSync(blocker, 'x');
    chmodSync(blocker, 0o400);
    const ch = createFileChannel({ name: 'archive', path: join(blocker, 'runbooks.jsonl') });
    const err = await ch
      .send({ id: 1, kind: 'open', incidentId: 'i', payload: {} }, new AbortController().signal)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotifyError);
    expect(err).toMatchObject({ reason: 'serverError', retryable: true });
  });
});
