import { afterEach, describe, expect, it } from 'vitest';
import { Secret } from '../../engine/config/secret.js';
import { safeHttpUrl } from '../../engine/runbook/links/http-url.js';
import { alertmanagerSilenceUrl, incidentPageUrl } from '../../engine/runbook/links/incident-links.js';
import { formatRunbookHtml } from '../../engine/runbook/format/format-html.js';
import { formatRunbookMarkdown } from '../../engine/runbook/format/format-markdown.js';
import { formatRunbookText } from '../../engine/runbook/format/format-text.js';
import { renderRunbook } from '../../engine/runbook/index.js';
import type { Runbook } from '../../engine/runbook/types.js';
import { incidentLinks } from '../../engine/server/pipeline/incident-links.js';
import { createEmailChannel } from '../../integrations/email/index.js';
import type { SlackBlock } from '../../integrations/slack/format.js';
import { formatRunbookSlack } from '../../integrations/slack/format.js';
import { createSlackChannel } from '../../integrations/slack/index.js';
import { copyBundle, makePipeline } from '../server/pipeline-fixture.js';
import { hostile } from '../fixtures/runbook/hand-diagnoses.js';
import { startSmtp } from './email/smtp-fake.js';
import { startSlackFake } from './slack/slack-fake.js';

/**
 * `server.externalUrl`: every Slack post and email links to the incident page, to the alert's
 * generatorURL and to an Alertmanager silence. The page URL is built from the config and the
 * incident id only; the alert's URLs are used only when they parse as http(s), and every one is
 * escaped for its context (Slack `<url|text>`, HTML attributes, Markdown destinations).
 */

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Labels and URLs an alerting rule's author (or a compromised sender) controls. */
const EVIL_SERVICE = 'orders|<!channel> *x* "}>&amp;';
const EVIL_GENERATOR =
  'http://prometheus.example:9090/graph?g0.expr=up|<!channel>&x="y" onmouseover="alert(1)';
const EVIL_AM = 'http://alertmanager.example:9093/am|<!here>"<script>';

function amPayload(status: 'firing' | 'resolved') {
  const labels = { alertname: 'MemoryHigh', service: EVIL_SERVICE, 'bad-name': 'dropped' };
  return {
    version: '4',
    groupKey: '{}:{alertname="MemoryHigh"}',
    status,
    receiver: 'memtriage',
    externalURL: EVIL_AM,
    groupLabels: { alertname: 'MemoryHigh' },
    commonLabels: labels,
    commonAnnotations: {},
    alerts: [
      {
        status,
        labels,
        annotations: { summary: 'RSS above 90% of the limit' },
        startsAt: '2026-11-25T10:00:00Z',
        endsAt: status === 'resolved' ? '2026-11-25T10:42:00Z' : '0001-01-01T00:00:00Z',
        generatorURL: EVIL_GENERATOR,
        fingerprint: 'f00d',
      },
    ],
  };
}

/** Every `<…>` in Slack mrkdwn: a link must be `<http(s)://…|label>` with one `|` and nothing else. */
function slackLinks(text: string): { url: string; label: string }[] {
  return [...text.matchAll(/<([^<>]*)>/g)].map((m) => {
    const inner = m[1] ?? '';
    const parts = inner.split('|');
    expect(parts, inner).toHaveLength(2);
    expect(parts[0], inner).toMatch(/^https?:\/\/[^\s]+$/);
    return { url: (parts[0] ?? '').replace(/&amp;/g, '&'), label: parts[1] ?? '' };
  });
}

const mrkdwn = (blocks: SlackBlock[]) =>
  blocks
    .flatMap((b) =>
      b.type === 'section' ? [b.text.text] : b.type === 'context' ? b.elements.map((e) => e.text) : [],
    )
    .join('\n');

describe('links built from untrusted values', () => {
  it('the incident page URL comes from externalUrl and the id only, keeping a path prefix', () => {
    expect(incidentPageUrl(new URL('https://ops.example/memtriage'), 'a1b2')).toBe(
      'https://ops.example/memtriage/incidents/a1b2',
    );
    expect(incidentPageUrl(new URL('https://ops.example/?x=1#y'), 'a/../b?c#d')).toBe(
      'https://ops.example/incidents/a%2F..%2Fb%3Fc%23d',
    );
  });

  it('a generatorURL is used only when it parses as http(s), serialised by the URL parser', () => {
    expect(safeHttpUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeHttpUrl('data:text/html,<script>')).toBeUndefined();
    expect(safeHttpUrl('/graph?g0.expr=up')).toBeUndefined();
    expect(safeHttpUrl('http://user:pw@prometheus.example/')).toBeUndefined();
    expect(safeHttpUrl('http:// spaced.example/')).toBeUndefined();
    expect(safeHttpUrl(`http://prometheus.example/${'a'.repeat(3000)}`)).toBeUndefined();
    expect(safeHttpUrl(42)).toBeUndefined();
    const evil = safeHttpUrl(EVIL_GENERATOR)!;
    expect(evil).toMatch(/^http:\/\/prometheus\.example:9090\/graph\?/);
    expect(evil).not.toMatch(/[<>"\s]/);
  });

  it('the silence link quotes every matcher value and is one URI component', () => {
    const url = alertmanagerSilenceUrl(EVIL_AM, {
      alertname: 'MemoryHigh',
      service: 'a"}, evil="x\\',
      'bad-name': 'left out',
    })!;
    expect(url).toMatch(
      /^http:\/\/alertmanager\.example:9093\/am%7C%3C!here%3E%22%3Cscript%3E\/#\/silences\/new\?filter=/,
    );
    expect(url).not.toMatch(/[<>"|\s]/);
    const filter = decodeURIComponent(url.slice(url.indexOf('filter=') + 'filter='.length));
    expect(filter).toBe('{alertname="MemoryHigh",service="a\\"}, evil=\\"x\\\\"}');
    expect(alertmanagerSilenceUrl('javascript:alert(1)//', { a: 'b' })).toBeUndefined();
    expect(alertmanagerSilenceUrl('http://am.example:9093', { 'bad-name': 'x' })).toBeUndefined();
    expect(alertmanagerSilenceUrl(undefined, { a: 'b' })).toBeUndefined();
  });

  it('a generic alert gets the incident page only; no externalUrl, no page link', () => {
    const generic = { id: 'i1', source: 'generic' as const, payload: { alert: { name: 'x' } } };
    expect(incidentLinks(generic, new URL('https://ops.example/'))).toEqual({
      incidentUrl: 'https://ops.example/incidents/i1',
    });
    expect(
      incidentLinks({ ...generic, source: 'alertmanager', payload: amPayload('firing') }, undefined),
    ).toEqual({
      silenceUrl: expect.stringMatching(/^http:\/\/alertmanager\.example:9093\//),
    });
  });
});

describe('links in every format, with hostile values', () => {
  const base = renderRunbook(hostile());
  const rb: Runbook = {
    ...base,
    generatorURL: safeHttpUrl(EVIL_GENERATOR)!,
    incidentUrl: 'https://ops.example/incidents/inc-1',
    silenceUrl: alertmanagerSilenceUrl(EVIL_AM, { service: EVIL_SERVICE })!,
  };

  it('Slack: three links in the context line, none breakable by a label', () => {
    const p = formatRunbookSlack(rb);
    const all = [mrkdwn(p.blocks), ...p.thread.map((m) => mrkdwn(m.blocks))].join('\n');
    const links = slackLinks(all);
    expect(links.map((l) => l.label)).toEqual(
      expect.arrayContaining(['incident page', 'alert source', 'silence in alertmanager']),
    );
    const byLabel = Object.fromEntries(links.map((l) => [l.label, l.url]));
    expect(byLabel['incident page']).toBe(rb.incidentUrl);
    expect(byLabel['alert source']).toBe(rb.generatorURL!.replace(/\|/g, '%7C'));
    expect(byLabel['silence in alertmanager']).toBe(rb.silenceUrl);
    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('<!here>');
    // A runbook too long for one message: each continuation in the thread links to the page too.
    const long = formatRunbookSlack({
      ...rb,
      blocks: Array.from({ length: 60 }, (_, i) => ({
        kind: 'text' as const,
        paragraphs: [[{ kind: 'text' as const, text: `paragraph ${i}` }]],
      })),
    });
    expect(long.thread.length).toBeGreaterThan(0);
    for (const m of long.thread) {
      expect(slackLinks(mrkdwn(m.blocks)).map((l) => l.url)).toContain(rb.incidentUrl);
    }
  });

  it('HTML, email, text and Markdown: the links escaped for their context', () => {
    const html = formatRunbookHtml(rb);
    expect(html).toContain(`<a href="https://ops.example/incidents/inc-1" rel="noopener noreferrer"`);
    // The links line, right under the summary: three anchors, each href exactly the URL, escaped.
    const line = /<p class="mt-meta">(<a [^\n]*)<\/p>/.exec(html)?.[1] ?? '';
    const hrefs = [...line.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    expect(hrefs).toEqual([rb.incidentUrl, rb.generatorURL, rb.silenceUrl]);
    expect(html).not.toMatch(/onmouseover="/);
    const text = formatRunbookText(rb);
    expect(text).toContain(`Incident page: ${rb.incidentUrl}`);
    expect(text).toContain(`Silence in Alertmanager: ${rb.silenceUrl}`);
    const md = formatRunbookMarkdown(rb);
    expect(md).toContain(`[Incident page](<${rb.incidentUrl}>)`);
    for (const m of md.matchAll(/\]\(<([^>]*)>\)/g)) expect(m[1]).toMatch(/^https?:\/\/[^\s<>]+$/);
  });
});

describe('serve: Slack and email link back to the incident (externalUrl)', () => {
  it('every Slack post and both emails carry the incident page; the first ones the alert source and silence too', async () => {
    const slackApi = await startSlackFake();
    cleanups.push(() => slackApi.close());
    const smtp = await startSmtp();
    cleanups.push(() => smtp.close());
    const slack = createSlackChannel({
      name: 'oncall',
      token: new Secret('xoxb-test'),
      channel: 'C0123ABCD',
      apiUrl: slackApi.url,
      timeoutMs: 2000,
    });
    const mail = createEmailChannel({
      name: 'mail',
      host: '127.0.0.1',
      port: smtp.port,
      secure: false,
      ignoreTLS: true,
      from: 'memtriage@example.test',
      to: ['oncall@example.test'],
      timeoutMs: 2000,
    });
    const p = await makePipeline({
      channels: [slack, mail],
      acquire: copyBundle('pub-map-leak'),
      configure: (c) => (c.server.externalUrl = new URL('https://ops.example/memtriage/')),
    });
    cleanups.push(() => p.close());
    const record = async (status: 'firing' | 'resolved') =>
      await p.store.recordAlert({
        dedupKey: 'links',
        source: 'alertmanager',
        groupKey: '{}:{alertname="MemoryHigh"}',
        status,
        payload: amPayload(status),
        now: Date.now(),
      });
    const { incident } = await record('firing');
    await p.pipeline.advance(incident.id);
    await p.worker.drain();
    await record('resolved');
    await p.pipeline.advance(incident.id);
    await p.worker.drain();

    const page = `https://ops.example/memtriage/incidents/${incident.id}`;
    const posts = slackApi.requests.filter((r) => r.method.startsWith('chat.'));
    expect(posts.map((r) => r.method)).toEqual(expect.arrayContaining(['chat.postMessage', 'chat.update']));
    for (const post of posts) {
      const links = slackLinks(mrkdwn(post.blocks as SlackBlock[]));
      expect(
        links.map((l) => l.url),
        post.method,
      ).toContain(page);
    }
    // The context line under the title carries them (the runbook's own links come further down).
    const context = (posts[0]!.blocks as SlackBlock[]).find((b) => b.type === 'context')!;
    const first = slackLinks(mrkdwn([context]));
    expect(first.map((l) => l.label)).toEqual(['incident page', 'alert source', 'silence in alertmanager']);
    expect(first[1]!.url).toMatch(/^http:\/\/prometheus\.example:9090\/graph\?g0\.expr=up%7C%3C!channel%3E/);
    expect(first[2]!.url).toMatch(/^http:\/\/alertmanager\.example:9093\/am%7C%3C!here%3E/);
    for (const post of posts) {
      const raw = `${post.params.text ?? ''}\n${mrkdwn(post.blocks as SlackBlock[])}`;
      expect(raw).not.toContain('<!channel>');
      expect(raw).not.toContain('<!here>');
    }

    expect(smtp.received).toHaveLength(2);
    const [open, resolve] = smtp.received;
    for (const m of [open!, resolve!]) {
      expect(m.html).toContain(`href="${page}"`);
      expect(m.text).toContain(`Incident page: ${page}`);
      expect(String(m.html)).not.toContain('<script>');
      expect(String(m.html)).not.toContain('onmouseover="');
    }
    expect(open!.html).toContain(
      'href="http://alertmanager.example:9093/am%7C%3C!here%3E%22%3Cscript%3E/#/silences/new?filter=',
    );
    expect(open!.subject).not.toMatch(/[\r\n]/);
  }, 60_000);
});
