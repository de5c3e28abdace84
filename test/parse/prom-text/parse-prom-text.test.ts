import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parsePromText } from '../../../engine/parse/prom-text/parse-prom-text.js';
import { parsePromFloat } from '../../../engine/parse/prom-text/prom-line.js';

const dir = fileURLToPath(new URL('../../fixtures/prom-text/', import.meta.url));

describe('parsePromText: the format', () => {
  it('HELP/TYPE, labels with escaped quotes, backslashes and newlines, trailing comma, timestamps', () => {
    const text = [
      '# HELP req_total Requests, "quoted" with a \\\\ and a\\nsecond line.',
      '# TYPE req_total counter',
      'req_total{path="/a\\"b",dir="C:\\\\tmp",msg="line1\\nline2",} 1027 1395066363000',
      'req_total{path="/"} 3',
      '  req_total { path = "/x" , code="200" } 1.5e+03',
      'plain_metric 0.25',
    ].join('\n');
    const { value, warnings } = parsePromText(text);
    expect(warnings).toEqual([]);
    expect(value.families.get('req_total')).toEqual({
      name: 'req_total',
      type: 'counter',
      help: 'Requests, "quoted" with a \\ and a\nsecond line.',
    });
    expect(value.samples).toEqual([
      {
        name: 'req_total',
        labels: { path: '/a"b', dir: 'C:\\tmp', msg: 'line1\nline2' },
        value: 1027,
        timestampMs: 1395066363000,
      },
      { name: 'req_total', labels: { path: '/' }, value: 3 },
      { name: 'req_total', labels: { path: '/x', code: '200' }, value: 1500 },
      { name: 'plain_metric', labels: {}, value: 0.25 },
    ]);
    expect(value.openMetrics).toBeUndefined();
  });

  it('NaN, +Inf, -Inf, Java-style 1.0E7 values, negative timestamps', () => {
    const { value, warnings } = parsePromText(
      'a NaN\nb +Inf\nc -Inf\nd 1.0E7\ne{le="+Inf"} 4 -1000\nf Inf\n',
    );
    expect(warnings).toEqual([]);
    const v = value.samples.map((s) => s.value);
    expect(v[0]).toBeNaN();
    expect(v.slice(1)).toEqual([Infinity, -Infinity, 1e7, 4, Infinity]);
    expect(value.samples[4]).toEqual({ name: 'e', labels: { le: '+Inf' }, value: 4, timestampMs: -1000 });
  });

  it('parsePromFloat accepts what Go ParseFloat accepts for the format, and nothing JS-only', () => {
    expect(parsePromFloat('-1.5e-3')).toBe(-0.0015);
    expect(parsePromFloat('.5')).toBe(0.5);
    expect(parsePromFloat('+Infinity')).toBe(Infinity);
    expect(parsePromFloat('nan')).toBeNaN();
    for (const bad of ['', ' ', '0x10', '1_000', '12abc', 'Infinit', '--1'])
      expect(parsePromFloat(bad), bad).toBeUndefined();
  });

  it('OpenMetrics: # EOF, # UNIT, _created, exemplars, timestamps in seconds', () => {
    const text = [
      '# TYPE rpc_seconds histogram',
      '# UNIT rpc_seconds seconds',
      'rpc_seconds_bucket{le="0.1"} 8 # {trace_id="KOO5S4vxi0o"} 0.067 1520879607.789',
      'rpc_seconds_count 17 1520879607.789',
      'rpc_seconds_created 1520872607.123',
      '# TYPE build info',
      'build_info{version="1.2"} 1',
      '# TYPE x unknown',
      '# EOF',
    ].join('\n');
    const { value, warnings } = parsePromText(text);
    expect(warnings).toEqual([]);
    expect(value.openMetrics).toBe(true);
    expect(value.families.get('rpc_seconds')).toEqual({
      name: 'rpc_seconds',
      type: 'histogram',
      unit: 'seconds',
    });
    expect(value.families.get('build')).toEqual({ name: 'build', rawType: 'info' });
    expect(value.families.get('x')?.type).toBe('untyped');
    expect(value.samples.map((s) => [s.name, s.value, s.timestampMs])).toEqual([
      ['rpc_seconds_bucket', 8, undefined],
      ['rpc_seconds_count', 17, 1520879607789],
      ['rpc_seconds_created', 1520872607.123, undefined],
      ['build_info', 1, undefined],
    ]);
  });

  it('Prometheus 3 quoted UTF-8 names', () => {
    const { value, warnings } = parsePromText(
      '# TYPE "http.requests" counter\n{"http.requests", "service.name"="api"} 7\n',
    );
    expect(warnings).toEqual([]);
    expect(value.families.get('http.requests')?.type).toBe('counter');
    expect(value.samples).toEqual([{ name: 'http.requests', labels: { 'service.name': 'api' }, value: 7 }]);
  });

  it('CRLF, blank lines, plain comments and #-without-space are accepted silently', () => {
    const { value, warnings } = parsePromText('# just a comment\r\n\r\n#no space\r\na 1\r\n\t\r\nb 2\r\n');
    expect(warnings).toEqual([]);
    expect(value.samples.map((s) => s.name)).toEqual(['a', 'b']);
  });
});

describe('parsePromText: bad lines become warnings with line numbers', () => {
  it('garbage, bad values, unclosed labels, bad escapes, duplicates — the rest of the scrape is kept', () => {
    const text = [
      'good_one 1', //                          1
      'this is not a metric', //                2
      'bad_value{a="1"} twelve', //             3
      'unclosed{a="1" 5', //                    4
      'noquote{a=1} 5', //                      5
      'dup{a="1"} 1', //                        6
      'dup{a="1"} 2', //                        7
      'twice{a="1",a="2"} 3', //                8
      'esc{a="x\\ty"} 4', //                    9
      '# TYPE good_one sometype', //           10
      'trailing 1 2 3', //                      11
      '{} 4', //                               12
      'no_value', //                           13
      'float_ts 1 1.5', //                     14
      'unterminated{a="1} 2', //               15
      '# HELP', //                             16
      'good_two{b="2"} 2', //                  17
    ].join('\n');
    const { value, warnings } = parsePromText(text);
    expect(value.samples.map((s) => `${s.name}=${s.value}`)).toEqual([
      'good_one=1',
      'dup=1',
      'esc=4',
      'float_ts=1',
      'good_two=2',
    ]);
    expect(value.samples[2]!.labels).toEqual({ a: 'x\\ty' }); // unknown escape kept as written
    expect(value.samples[3]!.timestampMs).toBeUndefined();
    expect(warnings.map((w) => w.line)).toEqual([2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    const at = (line: number) => warnings.find((w) => w.line === line)!.message;
    expect(at(3)).toMatch(/value "twelve" is not a number/);
    expect(at(4)).toMatch(/expected `,` or `}`/);
    expect(at(5)).toMatch(/value is not quoted/);
    expect(at(7)).toMatch(/duplicate series dup \(first on line 6\)/);
    expect(at(8)).toMatch(/label a given twice/);
    expect(at(9)).toMatch(/unknown escape \\t/);
    expect(at(10)).toMatch(/unknown type "sometype"/);
    expect(at(11)).toMatch(/unexpected text after the timestamp/);
    expect(at(14)).toMatch(/not integer milliseconds/);
    expect(at(15)).toMatch(/unterminated/);
  });

  it('content after # EOF is ignored with one warning', () => {
    const { value, warnings } = parsePromText('a 1\n# EOF\nb 2\nc 3\n');
    expect(value.samples.map((s) => s.name)).toEqual(['a']);
    expect(warnings).toEqual([{ line: 3, message: 'content after `# EOF`; ignored' }]);
  });

  it('a second TYPE or HELP for a family keeps the first', () => {
    const { value, warnings } = parsePromText(
      '# TYPE a gauge\n# TYPE a counter\n# HELP a one\n# HELP a two\na 1\n',
    );
    expect(value.families.get('a')).toEqual({ name: 'a', type: 'gauge', help: 'one' });
    expect(warnings.map((w) => w.line)).toEqual([2, 4]);
  });

  it('a wholly garbled input caps the warning list', () => {
    const text = Array.from({ length: 1000 }, (_, i) => `bad line ${i}`).join('\n');
    const { value, warnings } = parsePromText(text);
    expect(value.samples).toEqual([]);
    expect(warnings).toHaveLength(201);
    expect(warnings.at(-1)).toEqual({ message: '800 more problems not listed' });
  });

  it('empty input: nothing, no warnings', () => {
    expect(parsePromText('')).toEqual({ value: { samples: [], families: new Map() }, warnings: [] });
  });
});

describe('parsePromText: fixtures and size', () => {
  it('every handmade fixture parses without a warning', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.prom'));
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const f of files) {
      const { value, warnings } = parsePromText(readFileSync(dir + f, 'utf8'));
      expect(warnings, f).toEqual([]);
      expect(value.samples.length, f).toBeGreaterThan(20);
    }
  });

  it('the cAdvisor fixture keeps its per-sample timestamps; spec metrics have none', () => {
    const { value } = parsePromText(readFileSync(dir + 'cadvisor-two-containers.prom', 'utf8'));
    const usage = value.samples.find((s) => s.name === 'container_memory_usage_bytes')!;
    expect(usage.timestampMs).toBe(1795636282394);
    expect(
      value.samples.find((s) => s.name === 'container_spec_memory_limit_bytes')!.timestampMs,
    ).toBeUndefined();
  });

  it('a 1 MB cAdvisor-style scrape parses quickly and completely', () => {
    const lines: string[] = ['# TYPE container_memory_usage_bytes gauge'];
    let size = 0;
    for (let i = 0; size < 1_000_000; i++) {
      const line = `container_memory_usage_bytes{container="c${i}",id="/kubepods/burstable/pod${i}/cri-containerd-${i}.scope",image="registry.example.com/app:1.${i % 50}",name="k8s_${i}",namespace="ns${i % 7}",pod="p-${i}"} ${i * 4096} 1795636282394`;
      lines.push(line);
      size += line.length + 1;
    }
    const text = lines.join('\n');
    const start = performance.now();
    const { value, warnings } = parsePromText(text);
    const ms = performance.now() - start;
    expect(warnings).toEqual([]);
    expect(value.samples).toHaveLength(lines.length - 1);
    expect(ms).toBeLessThan(1000); // typically 30–60 ms; generous for loaded CI machines
  });
});
