import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { AddressObject } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';

/** A hostile value in every label the runbook shows: a header break (CRLF Bcc:) and raw HTML. */
const HOSTILE_ALERT = {
  status: 'firing',
  alerts: [
    {
      status: 'firing',
      labels: {
        alertname: 'MemHigh\r\nBcc: x@evil.example\r\n<script>alert(1)</script>',
        service: 'dedupd\r\nBcc: y@evil.example',
        severity: 'critical',
        instance: '<img src=x onerror=alert(2)>',
      },
      annotations: { summary: '<b>bold</b>\r\nX-Injected: yes' },
      startsAt: '2026-11-26T10:13:20Z',
    },
  ],
};

function addresses(a: AddressObject | AddressObject[] | undefined): string[] {
  return (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value.map((v) => v.address ?? ''));
}

describe('diagnose --format email --out FILE.eml, opened by mailparser', () => {
  it('is a MIME message with subject, From/To, text and HTML, and the chart inline by cid:', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mt-eml-'));
    const file = join(dir, 'runbook.eml');
    const run = await runCli(
      'diagnose',
      'examples/incidents/pub-map-leak',
      '--format',
      'email',
      '--out',
      file,
      '--mail-from',
      'Triage <triage@example.com>',
      '--mail-to',
      'oncall@example.com',
      '--mail-to',
      'sre@example.com',
    );
    expect(run).toMatchObject({ code: 0, out: '' });
    const mail = await simpleParser(readFileSync(file), { keepCidLinks: true });

    expect(mail.subject).toBe('[CRITICAL] dedupd: a map grows without bound');
    expect(mail.messageId).toBe('<incident-pub-map-leak@memtriage>');
    expect(mail.date).toBeInstanceOf(Date);
    expect(addresses(mail.from)).toEqual(['triage@example.com']);
    expect(mail.from?.value[0]?.name).toBe('Triage');
    expect(addresses(mail.to)).toEqual(['oncall@example.com', 'sre@example.com']);

    expect(mail.text).toMatch(/^CRITICAL +dedupd: a map grows without bound/);
    expect(mail.text).toContain('main.(*seenRequests).remember');
    expect(mail.html).toMatch(/^<!DOCTYPE html>/);
    expect(mail.html).toContain('dedupd: a map grows without bound</h2>');

    // every chart is an inline PNG attachment whose Content-ID the HTML references
    const charts = mail.attachments.filter((a) => a.contentType === 'image/png');
    expect(charts.length).toBeGreaterThan(0);
    for (const chart of charts) {
      expect(chart.contentDisposition).toBe('inline');
      expect(chart.related).toBe(true);
      expect(chart.cid).toMatch(/^chart-\d\.pub-map-leak@memtriage$/);
      expect(chart.content.subarray(0, 8)).toEqual(
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      );
      expect(mail.html).toContain(`src="cid:${chart.cid}"`);
    }
    // and every cid: the HTML references is attached
    const referenced = [...String(mail.html).matchAll(/src="cid:([^"]+)"/g)].map((m) => m[1]);
    expect(referenced.sort()).toEqual(charts.map((c) => c.cid).sort());
  });

  it('has a From without --mail-from and no To without --mail-to', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mt-eml-'));
    const file = join(dir, 'runbook.eml');
    expect(
      (await runCli('diagnose', 'examples/incidents/pub-map-leak', '--format', 'email', '--out', file)).code,
    ).toBe(0);
    const mail = await simpleParser(readFileSync(file));
    expect(addresses(mail.from)).toEqual(['memtriage@localhost']);
    expect(mail.to).toBeUndefined();

    // the address flags belong to the .eml only
    const misuse = await runCli('diagnose', 'examples/incidents/pub-map-leak', '--mail-to', 'a@example.com');
    expect(misuse.code).toBe(2);
    expect(misuse.err).toContain('--mail-to applies only to --format email --out');
  });

  it('keeps hostile label values out of the headers and out of the HTML markup', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mt-eml-'));
    const bundle = join(dir, 'bundle');
    cpSync('examples/incidents/pub-map-leak', bundle, { recursive: true });
    writeFileSync(join(bundle, 'alert.json'), JSON.stringify(HOSTILE_ALERT));
    const file = join(dir, 'hostile.eml');
    const run = await runCli(
      'diagnose',
      bundle,
      '--format',
      'email',
      '--out',
      file,
      '--mail-to',
      'oncall@example.com',
    );
    expect(run.code).toBe(0);
    const raw = readFileSync(file);
    const mail = await simpleParser(raw, { keepCidLinks: true });

    // the labels did reach the message (else this test proves nothing) ...
    expect(mail.subject).toContain('evil.example');
    expect(mail.text).toContain('<script>alert(1)</script>');
    // ... but no header came from them: one line in the subject, no Bcc, no X-Injected, only the To given
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.headers.has('bcc')).toBe(false);
    expect(mail.headers.has('x-injected')).toBe(false);
    expect(mail.bcc).toBeUndefined();
    expect(addresses(mail.to)).toEqual(['oncall@example.com']);
    const head = raw.toString('utf8').split(/\n\n/)[0] ?? '';
    expect(head).not.toMatch(/^(Bcc|X-Injected):/im);
    const headerNames = [...mail.headers.keys()].sort();
    expect(headerNames).toEqual([
      'content-type',
      'date',
      'from',
      'message-id',
      'mime-version',
      'subject',
      'to',
    ]);

    // the HTML part carries the values as text: escaped, never as markup
    const html = String(mail.html);
    expect(html).not.toMatch(/<script\b/i);
    expect(html).not.toMatch(/<img\b[^>]*onerror/i);
    expect(html).not.toMatch(/<b>bold<\/b>/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;b&gt;bold&lt;/b&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
  });
});
