import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAlertAcquirer } from '../../engine/collect/acquire-for-alert.js';
import { redactUserinfo } from '../../engine/collect/redact-url.js';
import { parseTargetUrl } from '../../engine/collect/target-url.js';
import { parseConfig } from '../../engine/config/load-config.js';

const PASS = 'hunter2-s3cret';

describe('redactUserinfo', () => {
  it.each([
    ['http://admin:pw@127.0.0.1:9100/metrics', 'http://***@127.0.0.1:9100/metrics'],
    ['GET "https://tok@h:1" failed; http://u:p@h2 too', 'GET "https://***@h:1" failed; http://***@h2 too'],
    ['a://b@c://d:e@f g', 'a://***@c://***@f g'],
    ['http://h:1/path@x?q=a@b', 'http://h:1/path@x?q=a@b'],
    ['no URL at all, user@example.com', 'no URL at all, user@example.com'],
  ])('%s', (text, redacted) => {
    expect(redactUserinfo(text)).toBe(redacted);
  });

  it('is linear on long words and many `://`', () => {
    const text = `${'a'.repeat(200_000)}${'://'.repeat(50_000)}@`;
    const t = performance.now();
    redactUserinfo(text);
    expect(performance.now() - t).toBeLessThan(500);
  });
});

describe('target URLs with credentials', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('a --target refusal does not repeat the password', () => {
    expect(() => parseTargetUrl(`http://admin:${PASS}@127.0.0.1:6060`)).toThrow(
      '--target "http://***@127.0.0.1:6060": credentials in the URL are not supported',
    );
  });

  it('never reach acquisition-warnings.json (or any file of the bundle)', async () => {
    const config = parseConfig(
      'conf.yaml',
      [
        'targets:',
        '  - name: orders',
        '    match: { service: orders }',
        '    go: http://admin:${PASS}@127.0.0.1:9',
        '    duration: 0s',
        '    timeout: 1s',
        '  - name: jvm',
        '    match: { service: jvm }',
        '    prometheus:',
        '      url: http://admin:${PASS}@127.0.0.1:9',
        '      selector: \'{job="x"}\'',
        '    timeout: 1s',
      ].join('\n'),
      { PASS },
    );
    const acquire = createAlertAcquirer({ targets: config.targets });
    for (const service of ['orders', 'jvm']) {
      const dir = mkdtempSync(join(tmpdir(), 'mt-redact-'));
      dirs.push(dir);
      const r = await acquire({ service }, dir);
      expect(r.warnings.length).toBeGreaterThan(0);
      expect(JSON.stringify(r.warnings)).not.toContain(PASS);
      const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) =>
        statSync(join(dir, f)).isFile(),
      );
      expect(files).toContain('acquisition-warnings.json');
      for (const f of files) {
        const text = readFileSync(join(dir, f), 'utf8');
        expect(text, f).not.toContain(PASS);
        expect(text, f).not.toContain('admin:');
      }
      expect(readFileSync(join(dir, 'acquisition-warnings.json'), 'utf8')).toContain('://***@127.0.0.1:9');
    }
  });
});
