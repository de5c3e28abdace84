import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addAcquisitionWarnings } from '../../../engine/collect/acquisition-warnings.js';
import { writeWebhookArtifacts } from '../../../engine/server/pipeline/write-incident-bundle.js';
import type { IncidentRecord } from '../../../engine/store/types.js';

describe('writeWebhookArtifacts', () => {
  it('skips an inline file that clashes with a folder of the same name, says so, and writes the rest', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'mt-inline-')), 'bundle');
    const incident = {
      id: 'i1',
      source: 'generic',
      status: 'firing',
      payload: {
        labels: { alertname: 'X' },
        bundle: { pprof: 'x', 'pprof/heap.pb.gz': '', 'gctrace.log': 'gc 1' },
      },
    } as unknown as IncidentRecord;
    await expect(writeWebhookArtifacts(dir, incident)).resolves.toBeUndefined();
    expect(readFileSync(join(dir, 'gctrace.log'), 'utf8')).toBe('gc 1');
    expect(existsSync(join(dir, 'alert.json'))).toBe(true);
    const w = JSON.parse(readFileSync(join(dir, 'acquisition-warnings.json'), 'utf8')) as {
      warnings: { message: string }[];
    };
    expect(w.warnings[0]!.message).toMatch(
      /inline files not written: pprof\/heap\.pb\.gz \((ENOTDIR|EEXIST)\)/,
    );
  });

  it("keeps the target's acquisition warnings written before it", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'mt-inline-')), 'bundle');
    mkdirSync(dir, { recursive: true });
    addAcquisitionWarnings(
      dir,
      [{ source: 'expvar', message: 'GET /debug/vars: connection refused' }],
      'svc',
    );
    const incident = {
      id: 'i2',
      source: 'generic',
      status: 'firing',
      payload: { labels: { alertname: 'X' }, bundle: { pprof: 'x', 'pprof/heap.pb.gz': '' } },
    } as unknown as IncidentRecord;
    await writeWebhookArtifacts(dir, incident);
    const w = JSON.parse(readFileSync(join(dir, 'acquisition-warnings.json'), 'utf8')) as {
      target: string;
      warnings: { source: string }[];
    };
    expect(w.target).toBe('svc');
    expect(w.warnings.map((x) => x.source)).toEqual(['expvar', 'webhook']);
  });
});
