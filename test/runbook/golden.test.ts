import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { diagnoseBundle } from '../../engine/diagnose/diagnose-bundle.js';
import { loadCompiledRules } from '../../engine/diagnose/load-rules.js';
import type { Diagnosis } from '../../engine/diagnose/types.js';
import { renderRunbook } from '../../engine/runbook/index.js';
import type { Runbook } from '../../engine/runbook/types.js';
import { formatRunbook } from '../../integrations/format-runbook.js';

/**
 * Golden renders: every real fixture bundle, through the real parsers, rules and templates, in
 * every channel. A change to a template, a rule or a formatter shows up here as a diff to review
 * (`npx vitest run test/runbook/golden.test.ts -u` accepts it).
 */
const ROOT = 'examples/incidents';
const BUNDLES = readdirSync(ROOT).filter((d) => d.startsWith('pub-'));
const runbooks = new Map<string, Runbook>();
const diagnoses = new Map<string, Diagnosis>();

beforeAll(async () => {
  const rules = await loadCompiledRules();
  for (const b of BUNDLES) {
    const d = await diagnoseBundle(join(ROOT, b), rules, { now: () => new Date('2026-11-25T03:00:00Z') });
    diagnoses.set(b, d);
    runbooks.set(b, renderRunbook(d));
  }
}, 120_000);

const golden = (b: string, ext: string) =>
  join(import.meta.dirname, '../fixtures/runbook/golden', `${b}.${ext}`);

describe.each(BUNDLES)('%s', (b) => {
  it('renders with the template of its top cause, with no unfilled value', () => {
    const rb = runbooks.get(b)!;
    const d = diagnoses.get(b)!;
    expect(rb.templateId).toBe(d.causes[0]?.runbook ?? 'no-cause');
    const all = JSON.stringify(rb);
    expect(all).not.toMatch(/undefined|NaN|\[object |Infinity/);
  });

  it('text, Markdown and HTML match the golden files', async () => {
    const rb = runbooks.get(b)!;
    await expect(formatRunbook(rb, 'text')).toMatchFileSnapshot(golden(b, 'txt'));
    await expect(formatRunbook(rb, 'markdown')).toMatchFileSnapshot(golden(b, 'md'));
    await expect(formatRunbook(rb, 'html')).toMatchFileSnapshot(golden(b, 'html'));
  });

  it('Slack and email match the golden files', async () => {
    const rb = runbooks.get(b)!;
    await expect(`${JSON.stringify(formatRunbook(rb, 'slack'), null, 2)}\n`).toMatchFileSnapshot(
      golden(b, 'slack.json'),
    );
    const email = formatRunbook(rb, 'email');
    const charts = email.attachments.map((a) => `${a.cid} ${a.filename} ${a.contentType}`).join('\n');
    await expect(`Subject: ${email.subject}\n${charts}\n\n${email.html}\n`).toMatchFileSnapshot(
      golden(b, 'email.html'),
    );
    await expect(email.text).toMatchFileSnapshot(golden(b, 'email.txt'));
  });
});
