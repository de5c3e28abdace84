import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium; CI installs it (.ci/run). */
export const CHROMIUM = '/usr/bin/chromium';

/** Flags from the machine notes: headless as root, and no background traffic into a closed network. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Browser tests are skipped only off CI when Chromium is not installed; under CI they must run (and fail without it). */
export const RUN_CHROMIUM = existsSync(CHROMIUM) || Boolean(process.env['CI']);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}
