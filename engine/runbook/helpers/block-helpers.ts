import type { HelperOptions } from '../render/handlebars-env.js';
import { codeText } from '../render/code-text.js';
import { cleanText, splitBlockMarkers, stripLiteralMarks } from '../render/literal.js';
import { isHttpUrl, parseInline } from '../render/parse-inline.js';
import { itemsToRich, parseItems, sectionMarkers } from '../render/parse-body.js';
import type { RenderState } from '../render/render-state.js';
import type { Span } from '../types.js';

type BlockHelper = (args: unknown[], options: HelperOptions, state: RenderState, self: unknown) => string;

const heading = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? cleanText(v).replace(/\s+/g, ' ').trim() : undefined;

/** Text of a body with nested block markers dropped (for title and summary, which hold no blocks). */
const flat = (body: string) =>
  splitBlockMarkers(body)
    .filter((p): p is string => typeof p === 'string')
    .join('');

/**
 * Block helpers: `{{#section "Heading"}}…{{/section}}` and friends. Each renders its body, turns
 * it into a block in the RenderState and returns the block's marker.
 */
export const BLOCK_HELPERS: Readonly<Record<string, BlockHelper>> = {
  title: (_a, o, s, self) => {
    s.title = stripLiteralMarks(flat(o.fn(self)))
      .replace(/\s+/g, ' ')
      .trim();
    return '';
  },
  summary: (_a, o, s, self) => {
    s.summary = parseInline(flat(o.fn(self)));
    return '';
  },
  section: ([h], o, s, self) => sectionMarkers(s, o.fn(self), heading(h)),
  steps: ([h], o, s, self) => {
    const { items, hoisted } = parseItems(s, o.fn(self), true);
    const steps = items
      .map((i) => ({ text: parseInline(i.text), ...(i.code ? { code: i.code } : {}) }))
      .filter((st) => st.text.length > 0 || st.code !== undefined);
    const hd = heading(h);
    return (
      (steps.length > 0 ? s.add({ kind: 'steps', ...(hd ? { heading: hd } : {}), steps }) : '') + hoisted
    );
  },
  list: ([h], o, s, self) => {
    const { items, hoisted } = parseItems(s, o.fn(self), false);
    const rich = itemsToRich(items);
    const hd = heading(h);
    return (
      (rich.length > 0 ? s.add({ kind: 'list', ...(hd ? { heading: hd } : {}), items: rich }) : '') + hoisted
    );
  },
  links: ([h], o, s, self) => {
    const { items, hoisted } = parseItems(s, o.fn(self), false);
    const links = itemsToRich(items)
      .map((r) => r.find((sp): sp is Extract<Span, { kind: 'link' }> => sp.kind === 'link'))
      .filter((l) => l !== undefined && isHttpUrl(l.url))
      .map((l) => ({ label: l!.text, url: l!.url }));
    const hd = heading(h);
    return (
      (links.length > 0 ? s.add({ kind: 'links', ...(hd ? { heading: hd } : {}), links }) : '') + hoisted
    );
  },
  code: ([lang], o, s, self) => {
    const l = typeof lang === 'string' && /^[A-Za-z0-9_+-]{1,20}$/.test(lang) ? lang : 'text';
    s.codeLang = l;
    let body: string;
    try {
      body = flat(o.fn(self));
    } finally {
      delete s.codeLang;
    }
    const code = codeText(body, l);
    const hd = heading(o.hash['heading']);
    return code === '' ? '' : s.add({ kind: 'code', ...(hd ? { heading: hd } : {}), lang: l, code });
  },
};
