/**
 * Splits text into chunks of at most `max` characters without losing any of it: at line breaks
 * first, then at spaces, and only then inside a word. A fenced code block that must be split is
 * closed and reopened around each cut, so every chunk still renders as code.
 */
export function splitText(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const chunks: string[] = [];
  let cur = '';
  let inFence = false;
  const FENCE = '```';
  const room = () => max - (inFence ? FENCE.length + 1 : 0);
  const push = () => {
    if (cur === '') return;
    chunks.push(inFence ? `${cur}\n${FENCE}` : cur);
    cur = inFence ? `${FENCE}\n` : '';
  };
  for (const line of text.split('\n')) {
    for (const piece of splitLine(line, max - 2 * (FENCE.length + 1))) {
      const next = cur === '' || cur === `${FENCE}\n` ? cur + piece : `${cur}\n${piece}`;
      if (next.length > room()) {
        push();
        cur = cur === '' ? piece : `${cur}${piece}`;
      } else cur = next;
    }
    if (line.startsWith(FENCE)) inFence = !inFence;
  }
  if (cur !== '' && cur !== `${FENCE}\n`) chunks.push(cur);
  return chunks;
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
