import { describe, expect, it } from 'vitest';
import { renderRunbook } from '../../engine/runbook/index.js';
import type { Runbook } from '../../engine/runbook/types.js';
import { formatRunbook } from '../../integrations/format-runbook.js';
import type { SlackBlock } from '../../integrations/slack/format.js';
import { hostile, HOSTILE } from '../fixtures/runbook/hand-diagnoses.js';

/**
 * Alert labels and annotations are written by whoever configures the alerting rule, and function
 * names come from the target's binary: all untrusted. Each must reach every channel as inert text.
 */
const rb: Runbook = renderRunbook(hostile());
/** Code spans and blocks are literal in Markdown and Slack; markup can only hide outside them. */
const outsideCode = (s: string) => s.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
/** The mrkdwn texts (the header is plain_text: Slack never formats it, but still decodes entities). */
const slackText = (blocks: SlackBlock[]) =>
  blocks
    .flatMap((b) =>
      b.type === 'section' ? [b.text.text] : b.type === 'context' ? b.elements.map((e) => e.text) : [],
    )
    .join('\n');
const headerText = (blocks: SlackBlock[]) =>
  blocks.flatMap((b) => (b.type === 'header' ? [b.text.text] : [])).join('\n');

describe('alert-supplied strings are inert in every channel', () => {
  it('the runbook carries them as literal text, never as markup', () => {
    const json = JSON.stringify(rb);
    expect(json).not.toContain('\u001b');
    expect(rb.generatorURL).toBeUndefined(); // javascript: URL dropped
    // the hostile link in a label never became a link span
    expect(json).not.toContain('"url":"https://evil.example/x"');
    expect(rb.title).toContain('*bold*');
  });

  it('a hostile instance label never becomes a command address: a placeholder, the label shown as text', () => {
    const codes = JSON.stringify(
      rb.blocks.flatMap((b) => (b.kind === 'steps' ? b.steps.map((s) => s.code) : [])),
    );
    expect(codes).toContain('http://<host:port>/debug/pprof/heap');
    expect(codes).not.toContain('10.0.0.7');
    const note = JSON.stringify(
      rb.blocks.find((b) => b.kind === 'list' && b.heading === 'Placeholders in the commands'),
    );
    expect(note).toContain(`label says ${HOSTILE.shell}, but that came with the alert`);
  });

  it('Slack: & < > escaped, mentions inert, formatting characters neutralised', () => {
    const p = formatRunbook(rb, 'slack');
    const all = [p.text, slackText(p.blocks), ...p.thread.map((t) => slackText(t.blocks))].join('\n');
    expect(all).not.toContain('<!channel>');
    expect(all).toContain('&lt;!channel&gt;');
    expect(all).not.toContain('<script>');
    expect(all).toContain('&lt;script&gt;');
    expect(all).toContain('&amp;amp;');
    expect(all).not.toMatch(/(^|[^&])&(?!amp;|lt;|gt;)/m); // every & is an entity
    expect(outsideCode(all)).not.toContain('*bold*');
    expect(outsideCode(all)).toContain('∗bold∗');
    expect(all).not.toContain('<https://evil.example/x|');
    expect(all).not.toContain('~strike~');
    expect(all).not.toContain('\u001b');
    const header = headerText(p.blocks);
    expect(header).toContain('&lt;!channel&gt;');
    expect(header).not.toContain('<');
  });

  it('Markdown: no raw HTML, no emphasis, no link, entities printed as typed', () => {
    const md = formatRunbook(rb, 'markdown');
    expect(outsideCode(md)).not.toMatch(/(^|[^\\])<script>/m);
    expect(md).toContain('\\<script>');
    expect(outsideCode(md)).not.toMatch(/(^|[^\\])\*bold/m);
    expect(md).toContain('\\*bold\\*');
    expect(md).toContain('\\&amp;');
    expect(md).toContain('\\[click\\](https://evil.example/x)');
    expect(md).not.toContain('\u001b');
  });

  it('HTML fragment and email: every string escaped, no element or link injected', () => {
    const html = formatRunbook(rb, 'html');
    const email = formatRunbook(rb, 'email');
    for (const h of [html, email.html]) {
      expect(h).not.toContain('<script>');
      expect(h).toContain('&lt;script&gt;');
      expect(h).toContain('&lt;!channel&gt;');
      expect(h).toContain('&amp;amp;');
      expect(h).not.toContain('href="https://evil.example');
      expect(h).not.toContain('javascript:');
      expect(h).not.toContain('\u001b');
    }
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.text).not.toContain('\u001b');
  });

  it('terminal: no escape sequences from input, even with colour on', () => {
    const t = formatRunbook(rb, 'text', { color: true });
    expect(t).not.toContain('\u001b[31mred');
    expect(t).toContain('red');
    expect(formatRunbook(rb, 'text')).not.toContain('\u001b');
  });
});
