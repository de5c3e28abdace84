import { describe, expect, it } from 'vitest';
import { minifyJson } from '../../engine/collect/minify-json.js';
import { asExpvarBody, loadCaptured } from './helpers/replay-server.js';

describe('minifyJson', () => {
  it('turns every expvar body of pub-map-leak, as Go writes it, back into the stored compact line', () => {
    const { vars } = loadCaptured();
    expect(vars).toHaveLength(61);
    for (const compact of vars) {
      const body = asExpvarBody(compact);
      expect(body).toMatch(/^\{\n"cmdline": \[/);
      expect(minifyJson(body, { requireObject: true })).toEqual({ ok: true, text: compact });
    }
  });

  it('keeps nanosecond integers above 2^53 digit for digit (MemStats LastGC)', () => {
    const text = '{ "memstats": { "LastGC": 1795636250338433623, "GCCPUFraction": 0.0031844828567080515 } }';
    const out = minifyJson(text);
    expect(out).toEqual({
      ok: true,
      text: '{"memstats":{"LastGC":1795636250338433623,"GCCPUFraction":0.0031844828567080515}}',
    });
    // What a JSON.parse/stringify round trip would have written instead:
    expect(JSON.stringify(JSON.parse(text))).toContain('1795636250338433500');
  });

  it('leaves whitespace and escapes inside strings alone', () => {
    const text = '{"cmdline": ["/bin/a b", "-x=\\"q \\\\\\" r\\"", "\\t tab"]}';
    const out = minifyJson(text);
    expect(out.ok && out.text).toBe('{"cmdline":["/bin/a b","-x=\\"q \\\\\\" r\\"","\\t tab"]}');
    expect(out.ok && JSON.parse(out.text)).toEqual(JSON.parse(text));
  });

  it('refuses truncated, empty and non-JSON bodies, and non-objects when asked', () => {
    expect(minifyJson('{"memstats": {"Alloc": 12').ok).toBe(false);
    expect(minifyJson('').ok).toBe(false);
    expect(minifyJson('<html>502</html>').ok).toBe(false);
    expect(minifyJson('[1, 2]', { requireObject: true })).toEqual({
      ok: false,
      message: 'not a JSON object',
    });
    expect(minifyJson('null', { requireObject: true }).ok).toBe(false);
    expect(minifyJson('[1, 2]')).toEqual({ ok: true, text: '[1,2]' });
  });
});
