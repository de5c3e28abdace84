import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Diagnosis } from '../../engine/diagnose/types.js';
import { DEFAULT_TEMPLATES_DIR } from '../../engine/paths.js';
import { renderRunbook } from '../../engine/runbook/index.js';
import { richToPlain } from '../../engine/runbook/render/parse-inline.js';
import { cause, diagnosis } from '../fixtures/runbook/hand-diagnoses.js';
import { realDiagnosis } from './real-runbooks.js';

const TEMPLATES = readdirSync(DEFAULT_TEMPLATES_DIR)
  .filter((f) => f.endsWith('.hbs'))
  .map((f) => f.slice(0, -4));
const BUNDLES = readdirSync('examples/incidents').filter((b) => b.startsWith('pub-'));

function on(template: string, d: Diagnosis): Diagnosis {
  return template === 'no-cause'
    ? { ...d, outcome: 'inconclusive', causes: [] }
    : { ...d, outcome: 'cause-found', causes: [cause(template, `Rule ${template}`, []), ...d.causes] };
}

describe('summaries never print a missing number as "unknown"', () => {
  // A user rule can fire on some facts without others: every template, on a diagnosis with no
  // facts and on each real bundle's facts, rephrases instead ("Goroutines rose to unknown").
  for (const template of TEMPLATES) {
    it(template, async () => {
      const ds = [diagnosis('svc', {}), ...(await Promise.all(BUNDLES.map((b) => realDiagnosis(b))))];
      for (const d of ds) {
        const rb = renderRunbook(on(template, d));
        const text = `${rb.title} | ${richToPlain(rb.summary)}`;
        expect(text, `${template} on ${d.incident.id}`).not.toMatch(/\bunknown\b|\(\s*\)|R² \)/);
        expect(richToPlain(rb.summary).length, `${template} on ${d.incident.id}`).toBeGreaterThan(20);
      }
    });
  }
});
