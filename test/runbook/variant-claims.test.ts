import { describe, expect, it } from 'vitest';
import type { Diagnosis } from '../../engine/diagnose/types.js';
import type { FactValue } from '../../engine/facts/types.js';
import { renderRunbook } from '../../engine/runbook/index.js';
import { formatRunbook } from '../../integrations/format-runbook.js';
import { facts } from '../fixtures/runbook/hand-diagnoses.js';
import { realDiagnosis } from './real-runbooks.js';

/** Claims that depend on a fact the real fixtures do not vary: the fixture, with that fact changed. */
async function withFacts(bundle: string, values: Record<string, FactValue>): Promise<string> {
  const d = await realDiagnosis(bundle);
  const changed: Diagnosis = { ...d, facts: { ...d.facts, ...facts(values) } };
  return formatRunbook(renderRunbook(changed), 'markdown');
}

describe('runbook claims that follow one fact', () => {
  it('go-no-memlimit: GOMEMLIMIT set at or above the container limit is said so, not "not set"', async () => {
    const md = await withFacts('pub-no-memlimit', {
      'runtime.goMemoryLimitBytes': 268_435_456,
      'runtime.goMemoryLimitToLimitRatio': 1,
      'runtime.goMemoryLimitSet': true,
    });
    expect(md).toContain('GOMEMLIMIT at or above it');
    expect(md).toContain('`GOMEMLIMIT` is set (256 MiB) but at or above the container limit');
    expect(md).toContain('Lower the soft memory limit from 256 MiB');
    expect(md).not.toContain('no `GOMEMLIMIT` pulls it down');
    const unset = await withFacts('pub-no-memlimit', {});
    expect(unset).toContain('no `GOMEMLIMIT` pulls it down');
  });

  it('cgroup-oom-kill: a global OOM (CONSTRAINT_NONE) is not blamed on the container limit', async () => {
    const md = await withFacts('pub-oom-no-runtime', { 'kernel.oomKillMemcg': false });
    expect(md).toContain('(host out of memory)');
    expect(md).toContain('in a global OOM: the host ran out of memory (`CONSTRAINT_NONE`)');
    expect(md).not.toContain('when its cgroup reached');
  });
});
