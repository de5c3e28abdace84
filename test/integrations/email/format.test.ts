import { describe, expect, it } from 'vitest';
import { formatRunbookText } from '../../../engine/runbook/format/format-text.js';
import { renderRunbook } from '../../../engine/runbook/index.js';
import type { Runbook } from '../../../engine/runbook/types.js';
import { formatRunbookEmail } from '../../../integrations/email/format.js';
import { mapLeak } from '../../fixtures/runbook/hand-diagnoses.js';

describe('email formatting', () => {
  const rb = renderRunbook(mapLeak());
  const email = formatRunbookEmail(rb);

  it('has a one-line subject with the severity, and a text part equal to the terminal text', () => {
    expect(email.subject).toBe('[CRITICAL] dedupd: a map grows without bound');
    expect(email.text).toBe(formatRunbookText(rb, { width: 78 }));
    const evil = formatRunbookEmail({ ...rb, title: 'a\r\nBcc: x@evil.example\u0000' } as Runbook);
    expect(evil.subject).toBe('[CRITICAL] a Bcc: x@evil.example');
  });

  it('embeds each chart as a PNG attachment referenced by cid:', () => {
    expect(email.attachments).toHaveLength(1);
    const a = email.attachments[0]!;
    expect(a).toMatchObject({
      filename: 'chart-1.png',
      contentType: 'image/png',
      contentDisposition: 'inline',
      cid: 'chart-1.pub-dedupd@memtriage',
    });
    expect(a.content.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(email.html).toContain(`<img src="cid:${a.cid}" alt="Live heap after each GC"`);
    expect(email.html).not.toContain('<svg');
  });

  it('uses inline styles only (no <style>, no external CSS) and a phone-friendly viewport', () => {
    expect(email.html).not.toMatch(/<style|<link /);
    expect(email.html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(email.html).toMatch(/<pre class="mt-pre" style="[^"]*white-space:pre-wrap;overflow-wrap:anywhere/);
    expect(email.html).toContain('max-width:640px');
  });

  it('caps the number of chart images', () => {
    const two = {
      ...rb,
      blocks: [
        ...rb.blocks,
        ...rb.blocks.filter((b) => b.kind === 'chart'),
        ...rb.blocks.filter((b) => b.kind === 'chart'),
      ],
    };
    expect(formatRunbookEmail(two).attachments).toHaveLength(2);
    expect(formatRunbookEmail(two, { maxCharts: 1 }).attachments).toHaveLength(1);
  });
});
