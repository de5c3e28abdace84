import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Diagnosis } from '../../engine/diagnose/types.js';
import { renderRunbook } from '../../engine/runbook/index.js';
import type { Step } from '../../engine/runbook/types.js';
import { cause } from '../fixtures/runbook/hand-diagnoses.js';
import { realDiagnosis } from './real-runbooks.js';

/**
 * Issue 10 §2: with seconds or minutes left, "Right now" saves evidence first (seconds), then buys
 * time (restart, raise the limit), then runs the slower diagnosis (anything that waits). Every
 * template is rendered on a real bundle with the template put on top.
 */
const TEMPLATES = readdirSync('templates')
  .filter((f) => f.endsWith('.hbs'))
  .map((f) => f.slice(0, -4))
  .filter((t) => t !== 'no-cause');

const BUNDLE: Record<string, string> = {
  'jvm-heap-leak': 'pub-jvm-offheap',
  'jvm-offheap': 'pub-jvm-offheap',
  'kswapd-pressure': 'pub-reclaim-pressure',
  'cgroup-oom-kill': 'pub-oom-no-runtime',
  'memory-growth': 'pub-oom-no-runtime',
  'target-unreachable': 'pub-oom-no-runtime',
};

async function onTop(runbook: string): Promise<Diagnosis> {
  const d = await realDiagnosis(BUNDLE[runbook] ?? 'pub-map-leak');
  return { ...d, outcome: 'cause-found', causes: [cause(runbook, `Rule ${runbook}`, []), ...d.causes] };
}

const textOf = (s: Step) => s.text.map((x) => x.text).join('');
const waits = (s: Step) =>
  [...(s.code?.code ?? '').matchAll(/\bsleep ([0-9]+)/g)].some((m) => Number(m[1]) >= 60);
const buysTime = (s: Step) => /\b(restart|raise)/i.test(textOf(s));

describe.each(TEMPLATES)('%s: Right now in the order time allows', (t) => {
  it('starts without waiting, and buys time before any step that waits a minute or more', async () => {
    const rb = renderRunbook(await onTop(t));
    expect(rb.templateId).toBe(t);
    const block = rb.blocks.find((b) => b.kind === 'steps' && b.heading === 'Right now');
    expect(block, 'a Right now section').toBeDefined();
    const steps = block!.kind === 'steps' ? block!.steps : [];
    expect(waits(steps[0]!), 'first step waits').toBe(false);
    const firstWait = steps.findIndex(waits);
    const firstBuy = steps.findIndex(buysTime);
    if (firstWait >= 0) {
      expect(firstBuy, 'a step that buys time').toBeGreaterThanOrEqual(0);
      expect(firstBuy).toBeLessThan(firstWait);
    }
  });
});
