import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCompiledRules } from '../../../engine/diagnose/load-rules.js';
import type { Rule } from '../../../engine/rules/types.js';
import { registerWebRoutes } from '../../../engine/server/web/register-web-routes.js';
import { openSqliteStore } from '../../../engine/store/sqlite-store.js';
import type { Store } from '../../../engine/store/types.js';
import { launchChromium, RUN_CHROMIUM } from '../../helpers/chromium.js';
import { seedStore } from './seed-store.js';

/**
 * `/rules/<id>` (engine/server/web/rule-page.ts) in Chromium at phone and desktop sizes: the rule's
 * YAML, README and cases show as text (a user's rule folder is not trusted HTML), and nothing is
 * wider than a phone screen. Screenshots go where web-browser.test.ts keeps its own.
 */
const ARTIFACTS = 'test-artifacts/web';

const SIZES = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 900 },
} as const;

/** A user's rule folder with markup in every file, and a line far wider than a phone. */
const HOSTILE_YAML = `id: hostile\n# <img src=x onerror=alert(1)>\ntitle: "</pre><script>alert(2)</script>"\n# ${'x'.repeat(400)}\n`;
const HOSTILE_README = `# hostile\n<script>alert(3)</script>\n<style>body{width:5000px}</style>\n[x](javascript:alert(4))\n`;
const HOSTILE_CASES = `fires:\n  - name: "<iframe src=javascript:alert(5)>"\n    facts: {}\ndoesNotFire: []\n`;

let app: FastifyInstance;
let store: Store;
let browser: Browser;
let base: string;
let ids: Record<string, string> = {};

beforeAll(async () => {
  if (!RUN_CHROMIUM) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  store = openSqliteStore(mkdtempSync(join(tmpdir(), 'mt-rule-browser-')));
  ids = await seedStore(store);
  const rules = (await loadCompiledRules()).ruleSet.rules;
  const dir = mkdtempSync(join(tmpdir(), 'mt-rule-hostile-'));
  writeFileSync(join(dir, 'rule.yaml'), HOSTILE_YAML);
  writeFileSync(join(dir, 'README.md'), HOSTILE_README);
  writeFileSync(join(dir, 'cases.yaml'), HOSTILE_CASES);
  const mapLeak = rules.find((r) => r.id === 'go-map-leak')!;
  const hostile: Rule = {
    ...mapLeak,
    id: 'hostile',
    title: 'Hostile <b>title</b>',
    dir,
    file: join(dir, 'rule.yaml'),
    readme: join(dir, 'README.md'),
  };
  app = Fastify();
  registerWebRoutes(app, {
    store,
    auth: { bearerTokens: [], basic: [] },
    rules: () => [...rules, hostile],
  });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await store?.close();
});

/** The text of the <pre> under the h2 naming a file, exactly as the DOM holds it. */
async function fileText(tab: Page, name: string): Promise<string> {
  return (await tab.locator(`h2:text-is("${name}") + pre`).textContent()) ?? '';
}

/** How far the page is wider than the screen (0 or less: no horizontal scrolling). */
function overflow(tab: Page): Promise<number> {
  return tab.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
}

describe.skipIf(!RUN_CHROMIUM)('the rule page in Chromium', () => {
  for (const [size, viewport] of Object.entries(SIZES)) {
    it(`shows a shipped rule's YAML, README and cases as text, its incidents, at ${size} size`, async () => {
      const context = await browser.newContext({ viewport, javaScriptEnabled: false });
      const tab = await context.newPage();
      const res = await tab.goto(`${base}/rules/go-map-leak`);
      expect(res?.status()).toBe(200);
      await expect(tab.locator('h1').innerText()).resolves.toBe('go-map-leak — Go map grows without bound');
      expect(await fileText(tab, 'rule.yaml')).toMatch(/^id: go-map-leak$/m);
      expect(await fileText(tab, 'README.md')).toMatch(/^# go-map-leak/);
      expect(await fileText(tab, 'cases.yaml')).toMatch(/^fires:$/m);
      // the README is shown as written, not rendered: its headings stay "#" lines inside the <pre>
      expect(await tab.locator('main h2').allInnerTexts()).toEqual([
        'Incidents it named as the top cause',
        'rule.yaml',
        'README.md',
        'cases.yaml',
      ]);
      // the incident it fired on links to its page
      await expect(tab.locator(`a[href="/incidents/${ids['pub-map-leak']}"]`).count()).resolves.toBe(1);
      expect(await overflow(tab)).toBeLessThanOrEqual(0);
      await tab.screenshot({ path: `${ARTIFACTS}/rule-${size}.png`, fullPage: true });
      await context.close();
    }, 60_000);

    it(`shows a user's hostile rule files as escaped text at ${size} size`, async () => {
      // JavaScript on, so an injected script or handler would run (and open a dialog)
      const context = await browser.newContext({ viewport });
      const tab = await context.newPage();
      let dialogs = 0;
      tab.on('dialog', (d) => {
        dialogs++;
        d.dismiss().catch(() => undefined);
      });
      await tab.goto(`${base}/rules/hostile`);
      await expect(tab.locator('h1').innerText()).resolves.toBe('hostile — Hostile <b>title</b>');
      expect(await fileText(tab, 'rule.yaml')).toBe(HOSTILE_YAML);
      expect(await fileText(tab, 'README.md')).toBe(HOSTILE_README);
      expect(await fileText(tab, 'cases.yaml')).toBe(HOSTILE_CASES);
      // nothing in the files became an element
      const injected = await tab.evaluate<number>(
        'document.querySelectorAll(\'main script, main img, main style, main iframe, main b, a[href^="javascript:"]\').length',
      );
      expect(injected).toBe(0);
      expect(dialogs).toBe(0);
      // the 400-character line scrolls inside its <pre>; the page itself stays as wide as the screen
      expect(await overflow(tab)).toBeLessThanOrEqual(0);
      const preWidest = await tab.evaluate<number>(
        "Math.max(...[...document.querySelectorAll('pre')].map((p) => p.getBoundingClientRect().right))",
      );
      expect(preWidest).toBeLessThanOrEqual(viewport.width);
      await tab.screenshot({ path: `${ARTIFACTS}/rule-hostile-${size}.png`, fullPage: true });
      await context.close();
    }, 60_000);
  }
});
