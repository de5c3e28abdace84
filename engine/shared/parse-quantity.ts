import type { FactUnit } from '../facts/types.js';

/**
 * Reading thresholds with units: `256KiB`, `1.5GiB/s`, `80%`, `5m`, `1h30m`, `250ms`, plain numbers.
 *
 * Byte sizes are binary only (`B`, `KiB`, `MiB`, `GiB`, `TiB`, `PiB`, and the Kubernetes spellings
 * `Ki`, `Mi`, `Gi`, `Ti`, `Pi`). `kB`/`MB`/`GB` (and `K`/`M`/`G`) are rejected as ambiguous: SI says
 * MB = 10^6, but Go's gctrace prints `MB` for bytes>>20 (runtime/mgc.go) and `go tool pprof` scales MB
 * by 1024² too, so an on-call engineer copying a figure from either would be off by 4.9%. The error
 * says which binary unit to write instead.
 */

const NUM = String.raw`[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`;
const QUANTITY = new RegExp(String.raw`^(${NUM})\s*([A-Za-zµ%]*)(?:\s*/\s*([A-Za-z]+))?$`);
const DURATION_PART = String.raw`(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h|d)`;
const DURATION = new RegExp(String.raw`^([+-]?)((?:${DURATION_PART})+)$`);
const DURATION_PARTS = new RegExp(DURATION_PART, 'g');

const BINARY: Readonly<Record<string, number>> = {
  B: 1,
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  TiB: 2 ** 40,
  PiB: 2 ** 50,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
};

/** Decimal or ambiguous size suffixes, mapped to the binary unit a user most likely meant. */
const AMBIGUOUS: Readonly<Record<string, string>> = {
  k: 'KiB',
  K: 'KiB',
  kB: 'KiB',
  KB: 'KiB',
  kb: 'KiB',
  M: 'MiB',
  MB: 'MiB',
  mb: 'MiB',
  G: 'GiB',
  GB: 'GiB',
  gb: 'GiB',
  T: 'TiB',
  TB: 'TiB',
  tb: 'TiB',
  P: 'PiB',
  PB: 'PiB',
};

const SECONDS: Readonly<Record<string, number>> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
};

const PER: Readonly<Record<string, number>> = { s: 1, sec: 1, m: 60, min: 60, h: 3600 };

/** What a literal looks like, independent of the fact it is compared with. */
type Literal =
  | { kind: 'number' | 'percent' | 'bytes' | 'bytes-rate' | 'count-rate' | 'duration'; value: number }
  | { kind: 'ambiguous'; suggestion: string }
  | { kind: 'unknown'; hint?: string };

function readLiteral(text: string): Literal {
  const s = text.trim();
  const d = DURATION.exec(s);
  if (d) {
    let seconds = 0;
    for (const m of (d[2] ?? '').matchAll(DURATION_PARTS))
      seconds += Number(m[1]) * (SECONDS[m[2] ?? ''] ?? NaN);
    return { kind: 'duration', value: d[1] === '-' ? -seconds : seconds };
  }
  const q = QUANTITY.exec(s);
  if (!q) return { kind: 'unknown' };
  const n = Number(q[1]);
  const suffix = q[2] ?? '';
  const per = q[3];
  const perSeconds = per === undefined ? undefined : PER[per];
  if (per !== undefined && perSeconds === undefined)
    return { kind: 'unknown', hint: `unknown rate unit "/${per}"` };
  if (suffix === '')
    return perSeconds ? { kind: 'count-rate', value: n / perSeconds } : { kind: 'number', value: n };
  if (suffix === '%') return per === undefined ? { kind: 'percent', value: n } : { kind: 'unknown' };
  const mult = BINARY[suffix];
  if (mult !== undefined) {
    return perSeconds
      ? { kind: 'bytes-rate', value: (n * mult) / perSeconds }
      : { kind: 'bytes', value: n * mult };
  }
  const meant = AMBIGUOUS[suffix];
  if (meant !== undefined) return { kind: 'ambiguous', suggestion: `${q[1]}${meant}${per ? `/${per}` : ''}` };
  const canonical = Object.keys(BINARY).find((k) => k.toLowerCase() === suffix.toLowerCase());
  return { kind: 'unknown', hint: canonical ? `units are case-sensitive: write ${canonical}` : undefined };
}

const ACCEPTS: Readonly<Record<FactUnit, readonly Literal['kind'][]>> = {
  bytes: ['number', 'bytes'],
  'bytes/s': ['number', 'bytes', 'bytes-rate'],
  count: ['number'],
  'count/s': ['number', 'count-rate'],
  ratio: ['number', 'percent'],
  percent: ['number', 'percent'],
  seconds: ['number', 'duration'],
  boolean: [],
  string: [],
};

const EXAMPLES: Readonly<Record<FactUnit, string>> = {
  bytes: 'a size such as 512MiB, 1.5GiB or a plain number of bytes',
  'bytes/s': 'a rate such as 256KiB/s, 10MiB/m, 1MiB or a plain number of bytes per second',
  count: 'a plain number',
  'count/s': 'a plain number per second, or a rate such as 100/m',
  ratio: 'a fraction such as 0.8, or a percentage such as 80%',
  percent: 'a number of percent such as 80 or 80%',
  seconds: 'a duration such as 250ms, 30s, 5m, 1h30m or a plain number of seconds',
  boolean: 'true or false',
  string: 'a quoted string',
};

const DESCRIBE: Readonly<Record<Literal['kind'], string>> = {
  number: 'a plain number',
  percent: 'a percentage',
  bytes: 'a byte size',
  'bytes-rate': 'a byte rate',
  'count-rate': 'a rate',
  duration: 'a duration',
  ambiguous: 'an ambiguous size',
  unknown: 'not a quantity',
};

/** How to write a value for a fact of this unit (used in error messages). */
export function unitExample(unit: FactUnit): string {
  return EXAMPLES[unit];
}

/**
 * Converts a YAML threshold to the fact's base unit: bytes, bytes per second, count, count per second,
 * seconds, a 0–1 fraction for `ratio` (so `80%` is 0.8), or 0–100 for `percent` (so `80%` is 80).
 * Never throws: a literal that does not fit the unit comes back as a coded message, naming `what`
 * is measured (a rule's fact by default; a config setting or a flag says "the value").
 */
export function parseQuantity(raw: unknown, unit: FactUnit, what = 'the fact'): QuantityResult {
  const expected = `${what} is measured in ${unit}: write ${EXAMPLES[unit]}`;
  if (unit === 'boolean' || unit === 'string') {
    return { ok: false, code: 'unit-mismatch', message: `a quantity does not apply; ${expected}` };
  }
  if (typeof raw === 'number') {
    return Number.isFinite(raw)
      ? { ok: true, value: raw }
      : { ok: false, code: 'unit-mismatch', message: `${raw} is not a finite number; ${expected}` };
  }
  if (typeof raw !== 'string') {
    return {
      ok: false,
      code: 'unit-mismatch',
      message: `${JSON.stringify(raw)} is a ${typeof raw}, but ${expected}`,
    };
  }
  const lit = readLiteral(raw);
  if (lit.kind === 'ambiguous') {
    return {
      ok: false,
      code: 'ambiguous-unit',
      message: `"${raw}" is ambiguous (SI MB = 10^6 bytes, but Go's gctrace and pprof print MB for 2^20): write ${lit.suggestion} for binary units, or a plain number of bytes`,
    };
  }
  if (lit.kind === 'unknown') {
    return {
      ok: false,
      code: 'unit-mismatch',
      message: `cannot read "${raw}" as ${unit}${lit.hint ? ` (${lit.hint})` : ''}; ${expected}`,
    };
  }
  if (!ACCEPTS[unit].includes(lit.kind)) {
    return {
      ok: false,
      code: 'unit-mismatch',
      message: `"${raw}" is ${DESCRIBE[lit.kind]}, but ${expected}`,
    };
  }
  const value = unit === 'ratio' && lit.kind === 'percent' ? lit.value / 100 : lit.value;
  return { ok: true, value };
}

export type QuantityResult =
  { ok: true; value: number } | { ok: false; code: 'unit-mismatch' | 'ambiguous-unit'; message: string };
