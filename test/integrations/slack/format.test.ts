import { describe, expect, it } from 'vitest';
import { renderRunbook } from '../../../engine/runbook/index.js';
import type { Runbook } from '../../../engine/runbook/types.js';
import {
  formatRunbookSlack,
  SLACK_LIMITS,
  type SlackBlock,
  type SlackMessage,
} from '../../../integrations/slack/format.js';
import { slackLiteral } from '../../../integrations/slack/mrkdwn.js';
import { splitText } from '../../../integrations/slack/split-text.js';
import { huge, mapLeak } from '../../fixtures/runbook/hand-diagnoses.js';

const texts = (b: SlackBlock): string[] =>
  b.type === 'section'
    ? [b.text.text]
    : b.type === 'context'
      ? b.elements.map((e) => e.text)
      : b.type === 'header'
        ? [b.text.text]
        : [];

function assertLimits(m: SlackMessage): void {
  expect(m.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
  expect(m.text.length).toBeGreaterThan(0);
  expect(m.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackChars);
  for (const b of m.blocks) {
    if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerChars);
    if (b.type === 'section') {
      expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionChars);
      expect(b.text.text.length).toBeGreaterThan(0);
      // a split never leaves a code fence open
      expect((b.text.text.match(/```/g) ?? []).length % 2).toBe(0);
    }
    if (b.type === 'context') expect(b.elements.length).toBeLessThanOrEqual(SLACK_LIMITS.contextElements);
  }
  const total = m.blocks.flatMap(texts).join('').length;
  expect(total).toBeLessThanOrEqual(SLACK_LIMITS.messageChars + 400);
}

/** Every word of the runbook's content appears in the messages: splitting never drops content. */
function allText(p: { blocks: SlackBlock[]; thread: SlackMessage[] }): string {
  return [p.blocks, ...p.thread.map((t) => t.blocks)].flat().flatMap(texts).join('\n');
}

describe('Slack Block Kit formatting', () => {
  it('respects every limit on a deliberately huge diagnosis, splitting instead of cutting', () => {
    const rb = renderRunbook(huge());
    const p = formatRunbookSlack(rb);
    assertLimits(p);
    expect(p.thread.length).toBeGreaterThan(0);
    p.thread.forEach(assertLimits);
    const header = p.blocks[0]!;
    expect(header.type).toBe('header');
    // the header had to be shortened; the full title is then the thread's first section
    expect(texts(header)[0]!.endsWith('…')).toBe(true);
    // the top-level post stays short whatever the runbook holds
    expect(p.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.postBlocks);
    const all = allText(p);
    expect(all).toContain(slackLiteral(rb.title));
    // the 3000-word description survives whole, across sections
    for (const w of ['desc0', 'desc1500', 'desc2999']) expect(all).toMatch(new RegExp(`\\b${w}\\b`));
    // all 200 evidence rows are there
    const rows = rb.blocks.find((b) => b.kind === 'evidence');
    expect(rows?.kind === 'evidence' && rows.rows.length).toBe(200);
    // the thread holds every row
    const thread = p.thread
      .flatMap((t) => t.blocks)
      .flatMap(texts)
      .join('\n');
    expect(thread.match(/:white_check_mark:/g)?.length).toBe(200);
    // every label
    for (let i = 0; i < 60; i++) expect(all).toContain(`\`label_${i}\``);
    // each reply says which part of the runbook it is
    expect(p.thread[0]!.text).toMatch(/^Runbook: .* \(1\/\d+\)$/);
    expect(p.thread[1]!.text).toMatch(/continued, 2\//);
  });

  it('posts a short summary (its key numbers) and a normal runbook as one thread reply', () => {
    const p = formatRunbookSlack(renderRunbook(mapLeak()));
    assertLimits(p);
    expect(p.blocks.map((b) => b.type)).toEqual(['header', 'context', 'section', 'context']);
    expect(p.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '🔴 dedupd: a map grows without bound', emoji: true },
    });
    const post = p.blocks.flatMap(texts).join('\n');
    expect(post).toMatch(/The live heap after GC grew 1\.6 MiB\/s/);
    // the evidence rows and the steps are in the thread, not in the channel
    expect(post).not.toContain(':white_check_mark:');
    expect(post).toContain('The runbook (what to do now, the evidence, the lasting fix) is in the thread');
    expect(post).not.toContain('curl');
    expect(p.thread).toHaveLength(1);
    assertLimits(p.thread[0]!);
    expect(p.thread[0]!.text).toBe('Runbook: dedupd: a map grows without bound');
    const all = allText(p);
    expect(all).toContain('`main.(*seenRequests).remember`');
    expect(all).toContain('```\ncurl -s -o heap-1.pb.gz http://&lt;host:port&gt;/debug/pprof/heap');
    expect(all).toContain('live heap after GC ▁');
    expect(p.text).toMatch(
      /^CRITICAL: dedupd: a map grows without bound — The live heap after GC grew 1\.6 MiB\/s/,
    );
    // a function name in the fallback text stays verbatim in code formatting (copy-paste, search)
    expect(p.text).toContain('`main.(*seenRequests).remember`');
    expect(p.text).not.toContain('∗');
  });

  it('shortens a header without cutting an entity in half', () => {
    const rb = { ...renderRunbook(mapLeak()), title: `${'a'.repeat(144)}&&&&&&&&` } as Runbook;
    const h = formatRunbookSlack(rb).blocks[0]!;
    const t = texts(h)[0]!;
    expect(t.length).toBeLessThanOrEqual(150);
    expect(t.endsWith('…')).toBe(true);
    expect(t).not.toMatch(/&(?!amp;|lt;|gt;)/);
  });
});

describe('splitText', () => {
  it('splits at lines, then spaces, and loses nothing', () => {
    const text = Array.from({ length: 500 }, (_, i) => `line ${i} ${'word '.repeat(i % 20)}`).join('\n');
    const parts = splitText(text, 1000);
    expect(parts.every((p) => p.length <= 1000)).toBe(true);
    expect(parts.join('\n').replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' '));
  });

  it('reopens a code fence in every chunk of a long code block', () => {
    const code = [
      '*Heading*',
      '```',
      ...Array.from({ length: 400 }, (_, i) => `cmd --flag=${i} ${'x'.repeat(20)}`),
      '```',
    ].join('\n');
    const parts = splitText(code, 3000);
    expect(parts.length).toBeGreaterThan(3);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(3000);
      expect((p.match(/```/g) ?? []).length % 2).toBe(0);
    }
    expect(parts.join('\n')).toContain('cmd --flag=399');
  });

  it('moves a code block that fits to the next chunk whole instead of cutting it', () => {
    const prose = 'p '.repeat(1200);
    const block = [
      '```',
      ...Array.from({ length: 12 }, (_, i) => `curl -sG -d debug=${i} http://h:1/x`),
      '```',
    ].join('\n');
    const parts = splitText(`${prose}\n${block}\nafter`, 3000);
    expect(parts.every((p) => p.length <= 3000)).toBe(true);
    const withCode = parts.filter((p) => p.includes('curl'));
    expect(withCode).toHaveLength(1);
    expect(withCode[0]).toContain(block);
  });

  it('cuts a single enormous word without splitting an entity', () => {
    const word = `${'a'.repeat(2997)}&amp;${'b'.repeat(4000)}`;
    const parts = splitText(word, 3000);
    expect(parts.every((p) => p.length <= 3000)).toBe(true);
    expect(parts.join('')).toBe(word);
    expect(parts.some((p) => p.includes('&amp;'))).toBe(true);
  });
});
