import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderRunbook } from '../../../engine/runbook/index.js';
import { formatRunbookEmail } from '../../../integrations/email/format.js';
import { huge } from '../../fixtures/runbook/hand-diagnoses.js';
import { launchChromium, RUN_CHROMIUM } from '../../helpers/chromium.js';
import { realDiagnosis } from '../../runbook/real-runbooks.js';

/**
 * The email as a phone shows it: Debian's Chromium, headless, 375 px wide. The HTML must not
 * scroll sideways and its chart images must load. The screenshots are kept under .tmp/artifacts/.
 * CI installs `chromium` (apt); without it, this test fails in CI and is skipped locally.
 */
const ARTIFACTS = '.tmp/artifacts';
const PHONE = { width: 375, height: 812 };

let browser: Browser;
beforeAll(async () => {
  if (!RUN_CHROMIUM) return;
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

/** cid: images cannot load in a browser; swap in the attachment bytes, failing on a dangling cid. */
function inlineCids(email: ReturnType<typeof formatRunbookEmail>): string {
  return email.html.replace(/src="cid:([^"]+)"/g, (_m, cid: string) => {
    const a = email.attachments.find((x) => x.cid === cid);
    if (a === undefined) throw new Error(`no attachment for cid:${cid}`);
    return `src="data:image/png;base64,${a.content.toString('base64')}"`;
  });
}

async function renderAtPhoneWidth(name: string, email: ReturnType<typeof formatRunbookEmail>) {
  const page = await browser.newPage({ viewport: PHONE });
  await page.setContent(inlineCids(email), { waitUntil: 'load' });
  // Runs in the page (a string, so the DOM is not part of this Node project's types).
  const m = (await page.evaluate(`(() => {
    const vw = window.innerWidth;
    const over = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > vw + 1)
      .map((e) => e.tagName.toLowerCase() + '.' + e.className);
    const imgs = [...document.images].map((i) => ({ w: i.naturalWidth, shown: i.getBoundingClientRect().width }));
    return { vw, scrollWidth: document.documentElement.scrollWidth, over: over.slice(0, 5), imgs };
  })()`)) as { vw: number; scrollWidth: number; over: string[]; imgs: { w: number; shown: number }[] };
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, `email-${name}-phone.png`);
  writeFileSync(file, await page.screenshot({ fullPage: true }));
  await page.close();
  return { ...m, file };
}

describe.skipIf(!RUN_CHROMIUM)('email HTML in Chromium at phone width', () => {
  it('the map-leak runbook fits 375 px with its chart', async () => {
    const email = formatRunbookEmail(renderRunbook(await realDiagnosis('pub-map-leak')));
    expect(email.attachments.length).toBeGreaterThan(0);
    const m = await renderAtPhoneWidth('pub-map-leak', email);
    expect(m.over).toEqual([]);
    expect(m.scrollWidth).toBeLessThanOrEqual(m.vw);
    expect(m.imgs.length).toBe(email.attachments.length);
    for (const i of m.imgs) {
      expect(i.w).toBe(1200); // the 2× PNG decoded
      expect(i.shown).toBeLessThanOrEqual(m.vw);
    }
    expect(existsSync(m.file)).toBe(true);
  }, 60_000);

  it('a huge runbook with unbreakable names, paths and commands still does not scroll sideways', async () => {
    const m = await renderAtPhoneWidth('huge', formatRunbookEmail(renderRunbook(huge())));
    expect(m.over).toEqual([]);
    expect(m.scrollWidth).toBeLessThanOrEqual(m.vw);
  }, 60_000);
});
