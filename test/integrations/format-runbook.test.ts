import { describe, expect, it } from 'vitest';
import { formatRunbookHtml } from '../../engine/runbook/format/format-html.js';
import { formatRunbookMarkdown } from '../../engine/runbook/format/format-markdown.js';
import { renderRunbook } from '../../engine/runbook/index.js';
import { formatRunbook } from '../../integrations/format-runbook.js';
import { formatRunbookSlack } from '../../integrations/slack/format.js';
import { mapLeak } from '../fixtures/runbook/hand-diagnoses.js';

describe('formatRunbook', () => {
  const rb = renderRunbook(mapLeak());

  it('formats the same Runbook for every channel, without changing it', () => {
    const before = JSON.stringify(rb);
    expect(formatRunbook(rb, 'markdown')).toBe(formatRunbookMarkdown(rb));
    expect(formatRunbook(rb, 'html')).toBe(formatRunbookHtml(rb));
    expect(formatRunbook(rb, 'slack')).toEqual(formatRunbookSlack(rb));
    expect(formatRunbook(rb, 'text', { color: true })).toContain('\u001b[');
    expect(Object.keys(formatRunbook(rb, 'email')).sort()).toEqual([
      'attachments',
      'html',
      'subject',
      'text',
    ]);
    expect(JSON.stringify(rb)).toBe(before);
  });

  it('a Runbook survives JSON (it can be stored and re-sent)', () => {
    const again = JSON.parse(JSON.stringify(rb));
    expect(formatRunbook(again, 'markdown')).toBe(formatRunbook(rb, 'markdown'));
  });
});
