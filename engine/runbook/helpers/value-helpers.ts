import { getFactDefinition } from '../../facts/catalogue.js';
import { formatBytes, formatCount, formatDuration, formatRatioAsPercent } from '../../format/units.js';
import { formatForReader } from '../context/format-value.js';
import { isShellLang, shellWord } from '../render/code-text.js';
import { cleanValue, isTemplatePlaceholder } from '../render/literal.js';
import type { RenderState } from '../render/render-state.js';

/** What a template prints for a number it does not have (never "undefined" or "NaN"). */
export const UNKNOWN = 'unknown';

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function fmt(v: unknown, f: (n: number) => string): string {
  const n = num(v);
  return n === undefined ? UNKNOWN : f(n);
}

const MIB = 1024 * 1024;

/** Whole numbers from 10 up; one decimal below (a rate of 0.4/s still reads as a rate). */
const roundCount = (n: number) => (Math.abs(n) >= 10 ? Math.round(n) : Math.round(n * 10) / 10);

/**
 * A GOMEMLIMIT value a fraction below a limit, in the syntax the runtime parses (runtime/debug
 * SetMemoryLimit docs: integer with a B/KiB/MiB/GiB suffix). Whole MiB, rounded down.
 */
export function goMemLimitFor(limitBytes: number, fraction: number): string {
  return `${Math.floor((limitBytes * fraction) / MIB)}MiB`;
}

type ValueHelper = (args: unknown[], state: RenderState) => unknown;

/** Helpers that compute a value; they never emit blocks. Each takes its positional arguments. */
export const VALUE_HELPERS: Readonly<Record<string, ValueHelper>> = {
  bytes: ([v]) => fmt(v, formatBytes),
  rate: ([v]) => fmt(v, (n) => `${formatBytes(n)}/s`),
  count: ([v]) => fmt(v, (n) => formatCount(roundCount(n))),
  perSecond: ([v]) => fmt(v, (n) => `${formatCount(roundCount(n))}/s`),
  duration: ([v]) => fmt(v, formatDuration),
  /** A 0–1 ratio as a percentage. */
  percent: ([v]) => fmt(v, formatRatioAsPercent),
  /** A value already in percent (PSI averages). */
  pct: ([v]) => fmt(v, (n) => `${Number(n.toFixed(2))}%`),
  mib: ([v]) => fmt(v, (n) => String(Math.round(n / MIB))),
  gomemlimit: ([v, f]) => fmt(v, (n) => goMemLimitFor(n, num(f) ?? 0.9)),
  /**
   * A value as one shell word, for a command written as inline code in prose (`` `pgrep -x
   * {{shellWord target.service}}` ``), where nothing else quotes it. Inside a shell code block the
   * block quotes every value itself, so there the value passes through unchanged.
   */
  shellWord: ([v], s) => {
    if (v === null || v === undefined) return null;
    const text = String(v);
    if ((s.codeLang !== undefined && isShellLang(s.codeLang)) || isTemplatePlaceholder(text)) return text;
    return shellWord(cleanValue(text));
  },
  /**
   * A literal for a Go regexp (regexp.QuoteMeta): `go tool pprof -list` takes a regexp, and a method
   * such as `main.(*T).f` is not a valid one as written. The code block then shell-quotes the result.
   */
  regexpQuote: ([v]) =>
    v === null || v === undefined ? null : String(v).replace(/[\\.+*?()|[\]{}^$]/g, '\\$&'),
  /** Raw fact value, null when absent. */
  fact: ([id], s) => {
    const v = s.diagnosis.facts[String(id)]?.value ?? null;
    return typeof v === 'string' ? cleanValue(v) : v;
  },
  /** Fact value in its catalogue unit (`88.0 MiB`, `21,035/s`). */
  value: ([id], s) => {
    const f = s.diagnosis.facts[String(id)];
    const unit = getFactDefinition(String(id))?.unit ?? f?.unit;
    return f === undefined || unit === undefined ? UNKNOWN : cleanValue(formatForReader(f.value, unit));
  },
  has: ([id], s) => s.diagnosis.facts[String(id)] !== undefined,
  label: ([k], s) => s.context.incident.labels[String(k)] ?? null,
  annotation: ([k], s) => s.context.incident.annotations[String(k)] ?? null,
  or: (args) =>
    args.find((a) => a !== null && a !== undefined && a !== '' && a !== false) ??
    args[args.length - 1] ??
    null,
  and: (args) => args.every(Boolean),
  not: ([v]) => !v,
  eq: ([a, b]) => a === b,
  ne: ([a, b]) => a !== b,
  gt: ([a, b]) => (num(a) ?? NaN) > (num(b) ?? NaN),
  gte: ([a, b]) => (num(a) ?? NaN) >= (num(b) ?? NaN),
  lt: ([a, b]) => (num(a) ?? NaN) < (num(b) ?? NaN),
  lte: ([a, b]) => (num(a) ?? NaN) <= (num(b) ?? NaN),
  add: ([a, b]) => arith(a, b, (x, y) => x + y),
  sub: ([a, b]) => arith(a, b, (x, y) => x - y),
  mul: ([a, b]) => arith(a, b, (x, y) => x * y),
  div: ([a, b]) => arith(a, b, (x, y) => (y === 0 ? NaN : x / y)),
  round: ([v, d]) => {
    const n = num(v);
    return n === undefined ? null : Number(n.toFixed(num(d) ?? 0));
  },
};

function arith(a: unknown, b: unknown, op: (x: number, y: number) => number): number | null {
  const x = num(a);
  const y = num(b);
  if (x === undefined || y === undefined) return null;
  const r = op(x, y);
  return Number.isFinite(r) ? r : null;
}
