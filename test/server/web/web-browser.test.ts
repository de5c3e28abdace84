import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCompiledRules } from '../../../engine/diagnose/load-rules.js';
import { registerWebRoutes } from '../../../engine/server/web/register-web-routes.js';
import { openSqliteStore } from '../../../engine/store/sqlite-store.js';
import type { Store } from '../../../engine/store/types.js';
import { launchChromium, RUN_CHROMIUM } from '../../helpers/chromium.js';
import { seedStore } from './seed-store.js';

/** Screenshots are kept as test artifacts (gitignored) for people to look at. */
const ARTIFACTS = 'test-artifacts/web';

let app: FastifyInstance;
let store: Store;
let browser: Browser;
let base: string;
let ruleCount = 0;
let ids: Record<string, string> = {};

beforeAll(async () => {
  if (!RUN_CHROMIUM) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  store = openSqliteStore(mkdtempSync(join(tmpdir(), 'mt-web-browser-')));
  ids = await seedStore(store);
  const rules = await loadCompiledRules();
  ruleCount = rules.ruleSet.rules.length;
  app = Fastify();
  registerWebRoutes(app, { store, auth: { bearerTokens: [], basic: [] }, rules: () => rules.ruleSet.rules });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await store?.close();
});

describe.skipIf(!RUN_CHROMIUM)('web pages in Chromium', () => {
  it('lists, filters and opens an incident on a phone-sized screen, without JavaScript', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      javaScriptEnabled: false,
    });
    const pageTab = await context.newPage();
    await pageTab.goto(`${base}/`);
    expect(await pageTab.locator('tbody tr.incident').count()).toBe(3);
    // Tells incidents apart on a phone: the alert, its status, service and instance, its summary.
    const first = await pageTab.locator('tbody tr.incident').first().innerText();
    expect(first).toMatch(/MemoryHigh\s+firing · pricingd · pub-healthy-go-0:6060/);
    expect(await pageTab.locator('tbody tr.alert-summary').first().innerText()).toBe(
      'RSS of pricingd above 90% of its limit',
    );
    const listOverflow = await pageTab.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(listOverflow).toBeLessThanOrEqual(0);
    const tableOverflow = await pageTab.evaluate<number>(
      "(() => { const w = document.querySelector('.table-wrap'); return w.scrollWidth - w.clientWidth; })()",
    );
    expect(tableOverflow).toBeLessThanOrEqual(0);
    await pageTab.screenshot({ path: `${ARTIFACTS}/list-phone.png`, fullPage: true });

    // The filter is a plain GET form: pick a cause and submit.
    await pageTab.selectOption('select[name=cause]', 'go-map-leak');
    await pageTab.click('button[type=submit]');
    await pageTab.waitForURL(/cause=go-map-leak/);
    expect(await pageTab.locator('tbody tr.incident').count()).toBe(1);

    await pageTab.click('tbody tr.incident a');
    await pageTab.waitForURL(/\/incidents\//);
    await expect(pageTab.locator('h1').innerText()).resolves.toBe('dedupd: a map grows without bound');
    // At 3 a.m. on a phone the steps come first: "Right now" is above the explanation and evidence.
    const headings = await pageTab.locator('main h3').allInnerTexts();
    expect(headings.indexOf('Right now')).toBe(0);
    const text = await pageTab.locator('main').innerText();
    expect(text).toContain('main.(*seenRequests).remember');
    expect(text).toContain('download the raw bundle');
    // Readable on a phone: nothing wider than the screen (wide tables scroll inside their wrapper).
    const overflow = await pageTab.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await pageTab.screenshot({ path: `${ARTIFACTS}/incident-phone.png`, fullPage: true });
    await context.close();
  }, 60_000);

  it('colours the severity badge by severity (INFO is blue, not red) and shows one state', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const tab = await context.newPage();
    const badge = async (name: string) => {
      await tab.goto(`${base}/incidents/${ids[name]}`);
      return {
        text: await tab.locator('.runbook .mt-badge').innerText(),
        background: await tab.locator('.runbook .mt-badge').evaluate((el) => {
          // Runs in the page; the test's TypeScript has no DOM types.
          const page = globalThis as unknown as {
            getComputedStyle(e: unknown): { backgroundColor: string };
          };
          return page.getComputedStyle(el).backgroundColor;
        }),
      };
    };
    expect(await badge('pub-healthy-go')).toEqual({ text: 'INFO', background: 'rgb(9, 105, 218)' });
    await tab.screenshot({ path: `${ARTIFACTS}/incident-info-desktop.png`, fullPage: true });
    expect(await badge('pub-goroutine-leak')).toEqual({
      text: 'CRITICAL',
      background: 'rgb(207, 34, 46)',
    });
    // pub-map-leak resolved after it was diagnosed: the header and the runbook agree.
    await badge('pub-map-leak');
    const text = await tab.locator('main').innerText();
    expect(text).toMatch(/· resolved/);
    expect(text).not.toMatch(/firing/);
    await tab.screenshot({ path: `${ARTIFACTS}/incident-resolved-desktop.png`, fullPage: true });
    await context.close();
  }, 60_000);

  it('renders hostile labels as text and the rules page on a desktop screen', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const pageTab = await context.newPage();
    let dialogs = 0;
    pageTab.on('dialog', (d) => {
      dialogs++;
      d.dismiss().catch(() => undefined); // the dialog may be gone already; the count is what matters
    });
    await pageTab.goto(`${base}/`);
    await expect(pageTab.locator('tbody').innerText()).resolves.toContain(
      'notifyd <script>alert(1)</script>',
    );
    expect(dialogs).toBe(0);
    // On a desktop every column shows: alert, service, instance, cause, severity, status, start in UTC.
    const cells = await pageTab.locator('tbody tr.incident').last().locator('td').allInnerTexts();
    expect(cells.slice(0, 6)).toEqual([
      'MemoryHigh',
      'dedupd',
      'pub-map-leak-0:6060',
      'go-map-leak',
      'critical',
      'resolved',
    ]);
    expect(cells[6]).toMatch(/^2026-11-25 09:59 UTC\s+(\d+[smhd] ?)+ ago$/);
    await pageTab.screenshot({ path: `${ARTIFACTS}/list-desktop.png`, fullPage: true });
    await pageTab.goto(`${base}/rules`);
    expect(await pageTab.locator('tbody tr').count()).toBe(ruleCount);
    await pageTab.screenshot({ path: `${ARTIFACTS}/rules-desktop.png`, fullPage: true });
    await context.close();
  }, 60_000);
});
