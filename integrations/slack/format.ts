import { chartSparklines } from '../../engine/runbook/chart/sparkline.js';
import { runbookLinks } from '../../engine/runbook/links/incident-links.js';
import { assertNever, type Block, type EvidenceRow, type Runbook } from '../../engine/runbook/types.js';
import { slackCode, slackCodeBlock, slackEscape, slackLink, slackLiteral, slackRich } from './mrkdwn.js';
import { splitText } from './split-text.js';

/** Block Kit limits (formats.md §8.1, docs.slack.dev "Header block", "Section block"). */
export const SLACK_LIMITS = {
  headerChars: 150,
  blocksPerMessage: 50,
  sectionChars: 3000,
  contextElements: 10,
  /** msg_blocks_too_long was seen at about 13k characters of blocks in one message. */
  messageChars: 12_000,
  fallbackChars: 3000,
  /** Blocks of the top-level post: the channel shows what happened; the thread holds the runbook. */
  postBlocks: 5,
} as const;

export type SlackBlock =
  | { type: 'header'; text: { type: 'plain_text'; text: string; emoji: true } }
  | { type: 'section'; text: { type: 'mrkdwn'; text: string } }
  | { type: 'context'; elements: { type: 'mrkdwn'; text: string }[] }
  | { type: 'divider' };

export interface SlackMessage {
  /** Plain-text fallback (notifications, clients without Block Kit); escaped like the blocks. */
  text: string;
  blocks: SlackBlock[];
}

/**
 * The short top-level post (title, context with links, and the summary, which carries the key
 * numbers: at most SLACK_LIMITS.postBlocks blocks), and the full runbook as thread replies, split
 * where one message cannot hold it.
 */
export interface SlackPayload extends SlackMessage {
  thread: SlackMessage[];
}

const EMOJI: Record<Runbook['severity'], string> = {
  critical: ':red_circle:',
  warning: ':large_orange_circle:',
  info: ':large_blue_circle:',
};
const MARK = (p: boolean | null) => (p === null ? ':grey_question:' : p ? ':white_check_mark:' : ':x:');

const section = (text: string): SlackBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const heading = (h: string | undefined) => (h === undefined ? '' : `*${slackLiteral(h)}*\n`);
const blockChars = (b: SlackBlock) =>
  b.type === 'section'
    ? b.text.text.length
    : b.type === 'context'
      ? b.elements.reduce((n, e) => n + e.text.length, 0)
      : b.type === 'header'
        ? b.text.text.length
        : 0;

function evidence(e: EvidenceRow): string {
  return `${MARK(e.passed)} *${slackLiteral(e.value)}* ${slackLiteral(e.label)} (${slackCode(e.fact)} ${slackLiteral(e.comparison)})`;
}

/** One runbook block as mrkdwn (may exceed a section; the caller splits). */
export function blockMrkdwn(b: Block): string {
  switch (b.kind) {
    case 'text':
      return heading(b.heading) + b.paragraphs.map(slackRich).join('\n\n');
    case 'list':
      return heading(b.heading) + b.items.map((i) => `• ${slackRich(i)}`).join('\n');
    case 'evidence':
      return heading(b.heading) + b.rows.map(evidence).join('\n');
    case 'steps':
      return (
        heading(b.heading) +
        b.steps
          .map((s, i) => `${i + 1}. ${slackRich(s.text)}${s.code ? `\n${slackCodeBlock(s.code.code)}` : ''}`)
          .join('\n')
      );
    case 'code':
      return heading(b.heading) + slackCodeBlock(b.code);
    case 'links':
      return heading(b.heading) + b.links.map((l) => `• ${slackLink(l.url, l.label)}`).join('\n');
    case 'chart':
      return heading(b.heading ?? b.chart.title) + slackCodeBlock(chartSparklines(b.chart).join('\n'));
    default:
      return assertNever(b, 'block');
  }
}

function headerText(rb: Runbook): string {
  const full = `${rb.severity === 'critical' ? '🔴' : rb.severity === 'warning' ? '🟠' : '🔵'} ${rb.title}`;
  // The header is plain_text: no mrkdwn, but the three entities still apply. Never cut inside one.
  const esc = slackEscape(full);
  if (esc.length <= SLACK_LIMITS.headerChars) return esc;
  let cut = esc.slice(0, SLACK_LIMITS.headerChars - 1);
  const amp = cut.lastIndexOf('&');
  if (amp > cut.length - 5 && !cut.slice(amp).includes(';')) cut = cut.slice(0, amp);
  return `${cut}…`;
}

/**
 * The message's plain `text` (notifications, clients without Block Kit). The summary keeps its
 * spans: a function name stays verbatim in backticks (`main.(*T).f`), not with `*` swapped for a
 * look-alike that breaks copy-paste and search.
 */
function fallback(rb: Runbook): string {
  const esc = `${slackLiteral(`${rb.severity.toUpperCase()}: ${rb.title}`)} — ${slackRich(rb.summary)}`;
  return esc.length <= SLACK_LIMITS.fallbackChars
    ? esc
    : splitText(esc, SLACK_LIMITS.fallbackChars - 1)[0]! + '…';
}

/** Longest service name or incident id shown in the context line (a label may be 8 KiB). */
const CONTEXT_VALUE_CHARS = 200;
/** Longest URL linked from it (incident page, alert source, silence); a longer one is left out rather than cut. */
const CONTEXT_URL_CHARS = 2000;

const short = (v: string) => (v.length > CONTEXT_VALUE_CHARS ? `${v.slice(0, CONTEXT_VALUE_CHARS)}…` : v);

/**
 * The line under the title. Each element is a text object, which Slack caps at 3,000 characters:
 * one over-long label would otherwise make Slack refuse the whole message (`invalid_blocks`).
 */
function contextBlock(rb: Runbook): SlackBlock {
  const el = [
    `${EMOJI[rb.severity]} *${rb.severity.toUpperCase()}*`,
    rb.service ? `service ${slackCode(short(rb.service))}` : '',
    `incident ${slackCode(short(rb.incidentId))}`,
    rb.status !== 'unknown' ? slackLiteral(rb.status) : '',
    ...runbookLinks(rb)
      .filter(([, url]) => url.length <= CONTEXT_URL_CHARS)
      .map(([label, url]) => slackLink(url, label.toLowerCase())),
  ].filter((t) => t !== '');
  return {
    type: 'context',
    elements: el.slice(0, SLACK_LIMITS.contextElements).map((text) => ({ type: 'mrkdwn', text })),
  };
}

/** `<url|incident page>` for thread replies, when the incident's page is known. */
export function incidentPageLink(rb: Runbook): string | undefined {
  return rb.incidentUrl !== undefined && rb.incidentUrl.length <= CONTEXT_URL_CHARS
    ? slackLink(rb.incidentUrl, 'incident page')
    : undefined;
}

function labelsText(rb: Runbook): string | undefined {
  const entries = Object.entries(rb.labels);
  if (entries.length === 0) return undefined;
  return `*Alert labels*\n${entries.map(([k, v]) => `${slackCode(k)} ${slackLiteral(v)}`).join('\n')}`;
}

/** At most `max` characters of mrkdwn, cut at a line or space (the thread has the whole text). */
function firstPart(text: string, max: number): string {
  const parts = splitText(text, max - 2);
  return parts.length > 1 ? `${parts[0]!} …` : parts[0]!;
}

/**
 * The runbook as Block Kit: a short top-level post, and the runbook in the thread. Every limit is
 * respected by splitting, never by dropping content: the thread holds every block (long sections
 * become several sections; what does not fit in one message, 50 blocks or about 12k characters,
 * goes on in the next reply), and the post only repeats the start of it.
 */
export function formatRunbookSlack(rb: Runbook): SlackPayload {
  const header: SlackBlock = {
    type: 'header',
    text: { type: 'plain_text', text: headerText(rb), emoji: true },
  };
  const summary = slackRich(rb.summary);
  const pageLink = incidentPageLink(rb);
  const pointer = `:thread: The runbook (what to do now, the evidence, the lasting fix) is in the thread${pageLink !== undefined ? ` · ${pageLink}` : ''}.`;
  const post: SlackMessage = {
    text: fallback(rb),
    blocks: [
      header,
      contextBlock(rb),
      ...(summary.trim() !== '' ? [section(firstPart(summary, SLACK_LIMITS.sectionChars))] : []),
      { type: 'context', elements: [{ type: 'mrkdwn', text: pointer }] },
    ],
  };
  return { ...post, thread: runbookThread(rb, summary) };
}

/** The whole runbook as thread replies, each within Slack's limits, each saying which part it is. */
function runbookThread(rb: Runbook, summary: string): SlackMessage[] {
  const texts = [
    ...(slackEscape(`🔴 ${rb.title}`).length > SLACK_LIMITS.headerChars
      ? [`*${slackLiteral(rb.title)}*`]
      : []),
    summary,
    ...rb.blocks.map(blockMrkdwn),
    labelsText(rb),
  ].filter((t): t is string => t !== undefined && t.trim() !== '');
  const body = texts.flatMap((t) => splitText(t, SLACK_LIMITS.sectionChars)).map(section);
  // Each reply starts with a context line saying what it is (filled in below).
  const note = (): SlackBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text: '' }] });
  const messages: SlackMessage[] = [{ text: '', blocks: [note()] }];
  for (const b of body) {
    let cur = messages[messages.length - 1]!;
    const chars = cur.blocks.reduce((n, x) => n + blockChars(x), 0);
    if (
      cur.blocks.length + 1 > SLACK_LIMITS.blocksPerMessage ||
      chars + blockChars(b) > SLACK_LIMITS.messageChars
    ) {
      cur = { text: '', blocks: [note()] };
      messages.push(cur);
    }
    cur.blocks.push(b);
  }
  const n = messages.length;
  const pageLink = incidentPageLink(rb);
  messages.forEach((m, i) => {
    const what = i === 0 ? `Runbook: ${rb.title}` : `${rb.title} (continued, ${i + 1}/${n})`;
    const line = slackLiteral(n > 1 && i === 0 ? `${what} (1/${n})` : what);
    m.text =
      line.length <= SLACK_LIMITS.fallbackChars ? line : splitText(line, SLACK_LIMITS.fallbackChars)[0]!;
    m.blocks[0] = {
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: m.text },
        ...(pageLink !== undefined ? [{ type: 'mrkdwn' as const, text: pageLink }] : []),
      ],
    };
  });
  return messages;
}
