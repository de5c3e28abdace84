/**
 * Splits text into chunks of at most `max` characters without losing any of it. A fenced code block
 * is kept whole in one chunk whenever it fits in one: a command cut between two Slack boxes could be
 * pasted half on its own. Only a block longer than a whole chunk is cut, at line breaks, and closed
 * and reopened around each cut so every chunk still renders as code. Prose is cut at line breaks
 * first, then at spaces, and only then inside a word.
 */
export function splitText(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const FENCE = '```';
  // Segments: each fenced block whole (fence lines included), and each prose line.
  const segments: { text: string; code: boolean }[] = [];
  let block: string[] | undefined;
  for (const line of text.split('\n')) {
    if (block !== undefined) {
      block.push(line);
      if (line.startsWith(FENCE)) {
        segments.push({ text: block.join('\n'), code: true });
        block = undefined;
      }
    } else if (line.startsWith(FENCE)) block = [line];
    else segments.push({ text: line, code: false });
  }
  if (block !== undefined) segments.push({ text: block.join('\n'), code: true });

  const chunks: string[] = [];
  let cur = '';
  const add = (piece: string) => {
    const next = cur === '' ? piece : `${cur}\n${piece}`;
    if (next.length <= max) {
      cur = next;
      return;
    }
    if (cur !== '') chunks.push(cur);
    cur = piece;
  };
  for (const seg of segments) {
    if (seg.text.length <= max) add(seg.text);
    else if (seg.code) for (const part of splitFenced(seg.text, max, FENCE)) add(part);
    else for (const part of splitLine(seg.text, max)) add(part);
  }
  if (cur !== '') chunks.push(cur);
  return chunks;
}

/** A fenced block longer than `max`, cut at line breaks into fenced pieces of at most `max`. */
function splitFenced(block: string, max: number, fence: string): string[] {
  const lines = block.split('\n');
  const open = lines.shift()!;
  const body = lines.at(-1)?.startsWith(fence) ? lines.slice(0, -1) : lines;
  const room = max - open.length - fence.length - 2;
  const out: string[] = [];
  let cur: string[] = [];
  let size = 0;
  for (const line of body.flatMap((l) => splitLine(l, room))) {
    if (cur.length > 0 && size + line.length + 1 > room) {
      out.push([open, ...cur, fence].join('\n'));
      cur = [];
      size = 0;
    }
    cur.push(line);
    size += line.length + 1;
  }
  if (cur.length > 0) out.push([open, ...cur, fence].join('\n'));
  return out;
}

function splitLine(line: string, max: number): string[] {
  if (line.length <= max) return [line];
  const out: string[] = [];
  let rest = line;
  while (rest.length > max) {
    const cut = rest.lastIndexOf(' ', max);
    let at = cut > max / 2 ? cut : max;
    // never inside an entity (&amp; &lt; &gt;): Slack would show the pieces
    const amp = rest.lastIndexOf('&', at);
    if (at !== cut && amp > at - 5 && !rest.slice(amp, at).includes(';')) at = amp;
    out.push(rest.slice(0, at));
    rest = rest.slice(at === cut ? at + 1 : at);
  }
  out.push(rest);
  return out;
}
