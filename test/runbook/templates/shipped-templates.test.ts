import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnoseBundle } from '../../../engine/diagnose/diagnose-bundle.js';
import { loadCompiledRules } from '../../../engine/diagnose/load-rules.js';
import type { Diagnosis } from '../../../engine/diagnose/types.js';
import { renderRunbook } from '../../../engine/runbook/index.js';
import { loadTemplateSet } from '../../../engine/runbook/templates/load-template-set.js';
import {
  shippedTemplates,
  writeShippedTemplates,
} from '../../../engine/runbook/templates/shipped-templates.js';

/**
 * The shipped templates precompiled at build time (dist/default-templates.cjs) stand in for the
 * templates on disk only while those are exactly the shipped ones, and render the same runbooks as
 * the templates compiled from source.
 */
let tmp: string;
let specs: string;
const diagnoses: Diagnosis[] = [];

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'mt-shipped-templates-'));
  specs = join(tmp, 'specs.cjs');
  expect(writeShippedTemplates(specs, 'templates')).toEqual([]);
  const rules = await loadCompiledRules();
  for (const b of readdirSync('examples/incidents').filter((d) => d.startsWith('pub-'))) {
    diagnoses.push(
      await diagnoseBundle(join('examples/incidents', b), rules, {
        now: () => new Date('2026-11-25T03:00:00Z'),
      }),
    );
  }
}, 60_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('shipped templates', () => {
  it('are used for the shipped set, also behind a user directory that adds nothing', () => {
    expect(shippedTemplates(loadTemplateSet(['templates']), specs)).toBeDefined();
    const empty = join(tmp, 'empty');
    cpSync('templates/README.md', join(empty, 'README.md'));
    expect(shippedTemplates(loadTemplateSet([empty, 'templates']), specs)).toBeDefined();
  });

  it('are not used once a template or partial differs, or the set has issues', () => {
    const user = join(tmp, 'user');
    cpSync('templates/go-map-leak.hbs', join(user, 'go-map-leak.hbs'));
    writeFileSync(join(user, 'go-map-leak.hbs'), '{{title "x"}}\n', { flag: 'a' });
    expect(shippedTemplates(loadTemplateSet([user, 'templates']), specs)).toBeUndefined();
    const partial = join(tmp, 'partial');
    cpSync('templates/_partials/alert.hbs', join(partial, '_partials/alert.hbs'));
    writeFileSync(join(partial, '_partials/alert.hbs'), '\n', { flag: 'a' });
    expect(shippedTemplates(loadTemplateSet([partial, 'templates']), specs)).toBeUndefined();
    expect(shippedTemplates(loadTemplateSet([join(tmp, 'missing'), 'templates']), specs)).toBeUndefined();
    expect(shippedTemplates(loadTemplateSet(['templates']), join(tmp, 'none.cjs'))).toBeUndefined();
  });

  it('render what the templates compiled from source render', () => {
    // An extra template in a user directory changes the set: it is validated and compiled from source.
    const extra = join(tmp, 'extra');
    cpSync('templates/no-cause.hbs', join(extra, 'zz-extra.hbs'));
    expect(shippedTemplates(loadTemplateSet([extra, 'templates']), specs)).toBeUndefined();
    for (const d of diagnoses) {
      expect(renderRunbook(d, { templatesDirs: [extra] })).toEqual(renderRunbook(d));
    }
  });
});
