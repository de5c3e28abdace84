import type { Block, Rich, Step } from '../types.js';
import { blockMarker, LITERAL_OPEN, splitBlockMarkers } from './literal.js';
import { parseInline } from './parse-inline.js';
import type { RenderState } from './render-state.js';

const ITEM = /^\s*(?:\d+[.)]|[-*])\s+/;

/** Lines that start a list item or step (`- `, `* `, `1. `); a value at the start of a line never does. */
function itemStart(line: string): boolean {
  return !line.trimStart().startsWith(LITERAL_OPEN) && ITEM.test(line);
}

/**
 * Free text → text and list blocks: paragraphs are separated by blank lines; a paragraph whose
 * lines all start with `- ` is a list. The heading goes on the first block.
 */
export function textToBlocks(text: string, heading: string | undefined): Block[] {
  const out: Block[] = [];
  for (const para of text.split(/\n[ \t]*\n/)) {
    if (para.trim() === '') continue;
    const lines = para.split('\n').filter((l) => l.trim() !== '');
    const prev = out[out.length - 1];
    if (lines.every(itemStart)) {
      const items = lines.map((l) => parseInline(l.replace(ITEM, ''))).filter((r) => r.length > 0);
      if (prev?.kind === 'list') out[out.length - 1] = { ...prev, items: [...prev.items, ...items] };
      else out.push({ kind: 'list', items });
    } else {
      const rich = parseInline(para);
      if (rich.length === 0) continue;
      if (prev?.kind === 'text') out[out.length - 1] = { ...prev, paragraphs: [...prev.paragraphs, rich] };
      else out.push({ kind: 'text', paragraphs: [rich] });
    }
  }
  const first = out[0];
  if (first !== undefined && heading !== undefined) out[0] = { ...first, heading };
  return out;
}

/** A section body: its text as blocks under the heading, nested blocks kept in place. */
export function sectionMarkers(state: RenderState, body: string, heading: string | undefined): string {
  let out = '';
  let head = heading;
  for (const piece of splitBlockMarkers(body)) {
    if (typeof piece === 'number') {
      out += blockMarker(piece);
      continue;
    }
    for (const b of textToBlocks(piece, head)) {
      out += state.add(b);
      head = undefined;
    }
  }
  return out;
}

/** Splits a body into items (`1.`, `-`); a code block right inside an item becomes that step's command. */
export function parseItems(
  state: RenderState,
  body: string,
  attachCode: boolean,
): { items: { text: string; code?: Step['code'] }[]; hoisted: string } {
  const items: { text: string; code?: Step['code'] }[] = [];
  let hoisted = '';
  for (const piece of splitBlockMarkers(body)) {
    if (typeof piece === 'number') {
      const current = items[items.length - 1];
      const block = state.get(piece);
      if (attachCode && current !== undefined && current.code === undefined && block?.kind === 'code') {
        state.consume(piece);
        current.code = { lang: block.lang, code: block.code };
      } else hoisted += blockMarker(piece);
      continue;
    }
    for (const line of piece.split('\n')) {
      if (itemStart(line)) items.push({ text: line.replace(ITEM, '') });
      else if (line.trim() !== '') {
        const current = items[items.length - 1];
        if (current !== undefined) current.text += `\n${line}`;
        else items.push({ text: line });
      }
    }
  }
  return { items, hoisted };
}

export function itemsToRich(items: readonly { text: string }[]): Rich[] {
  return items.map((i) => parseInline(i.text)).filter((r) => r.length > 0);
}
