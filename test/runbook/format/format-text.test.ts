import { describe, expect, it } from 'vitest';
import { formatRunbookText, wrap } from '../../../engine/runbook/format/format-text.js';
import { renderRunbook } from '../../../engine/runbook/index.js';
import { mapLeak } from '../../fixtures/runbook/hand-diagnoses.js';

describe('terminal formatting', () => {
  const rb = renderRunbook(mapLeak());

  it('has no escape sequences unless colour is asked for', () => {
    const plain = formatRunbookText(rb);
    expect(plain).not.toContain('\u001b');
    expect(plain.split('\n')[0]).toBe('CRITICAL  dedupd: a map grows without bound');
    expect(plain).toContain('RIGHT NOW\n  1. Save the evidence now');
    expect(plain).toContain('       curl -s -o heap-1.pb.gz http://<host:port>/debug/pprof/heap');
    expect(plain).toMatch(
      /live heap after GC [▁▂▃▄▅▆▇█]+ 0 B → 88\.0 MiB, peak 99\.0 MiB \(container limit 256 MiB\)/,
    );
    const colour = formatRunbookText(rb, { color: true });
    expect(colour).toContain('\u001b[1m\u001b[31mCRITICAL\u001b[39m\u001b[22m');
    const ESC = String.fromCharCode(27);
    expect(colour.replace(new RegExp(`${ESC}\\[[0-9;]*m`, 'g'), '')).toBe(plain);
  });

  it('wraps prose at the width, ignoring ANSI codes in the measure', () => {
    const w = wrap('aaaa bbbb cccc dddd', 10, '  ');
    expect(w).toBe('aaaa\n  bbbb\n  cccc\n  dddd');
    expect(wrap('aaaa bbbb cccc', 11, '  ')).toBe('aaaa bbbb\n  cccc');
    expect(wrap('\u001b[1maaaa\u001b[22m bbbb', 9)).toBe('\u001b[1maaaa\u001b[22m bbbb');
    // prose is wrapped; code, evidence rows, sparklines and URLs are kept whole
    const prose = (l: string) => !/^ {4,}|^\s*[✓✗?] |[▁▂▃▄▅▆▇█]|https:\/\//.test(l);
    for (const line of formatRunbookText(rb, { width: 60 }).split('\n').filter(prose))
      expect(line.length).toBeLessThanOrEqual(60);
  });
});
