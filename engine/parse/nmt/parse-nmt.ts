import { clip, pushWarning } from '../proc/parse-flat-keyed.js';
import { isOverlong, overlongLine } from '../line-cap.js';
import type { ParseResult, ParseWarning } from '../types.js';
import { matchCategory, SUB, TOTAL, TOTAL_MALLOC, TOTAL_MMAP, toBytes, unitBytes } from './nmt-amounts.js';
import type { NmtAmount, NmtSummary } from './types.js';

/**
 * Category sums may fall short of Total by the omitted categories (each under 1 unit, at most
 * ~28 of them, memflags.hpp) plus per-category rounding (±0.5 unit). A larger gap means the text
 * lost categories, i.e. was cut off.
 */
const TRUNCATION_SLACK_UNITS = 64;

type Block = 'metadata' | 'classSpace' | undefined;

/**
 * Parse `jcmd <pid> VM.native_memory summary` (openjdk/jdk src/hotspot/share/nmt/memReporter.cpp,
 * MemSummaryReporter) for JDK 11, 17 and 21 layouts: JDK 17.0.x+ adds the `malloc:`/`mmap:` lines
 * under Total and `(at peak)`/`(peak=…)` annotations; JDK 21+ adds `peak=` inside mmap lines;
 * JDK 22+ prints `(threads #N)`. Unknown parenthesised sub-lines are skipped (new JDKs add
 * some); anything else unrecognised is a warning with its line number. Detail reports are read
 * up to their `Details:` section. `summary.diff` output is not supported (its Total line has
 * signed deltas) and yields `unusable: 'missing-total'`.
 */
export function parseNmtSummary(text: string, ts?: number): ParseResult<NmtSummary> {
  const value: NmtSummary = { total: { reservedBytes: 0, committedBytes: 0 }, categories: {} };
  if (ts !== undefined) value.ts = ts;
  const warnings: ParseWarning[] = [];
  let sawTotal = false;
  let unit: string | undefined;
  let current: { name: string; amount: NmtAmount } | undefined;
  let block: Block;

  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    const warn = (message: string): void => {
      pushWarning(warnings, { line: i + 1, message: `NMT: ${message}` }, 'NMT');
    };
    if (isOverlong(raw)) {
      warn(overlongLine(i + 1, raw.length).message);
      continue;
    }
    const line = raw.trim();
    if (line === '' || /^\d+:$/.test(line) || line === 'Native Memory Tracking:') continue;
    if (/^Details:$|^Virtual memory map:$/.test(line)) break;
    if (/native memory tracking is not enabled/i.test(line)) {
      value.unusable = 'not-enabled';
      warn('native memory tracking is not enabled in this JVM (-XX:NativeMemoryTracking=summary)');
      continue;
    }
    const omit = /^\(Omitting categories weighting less than 1(B|KB|MB|GB)\)$/.exec(line);
    if (omit) {
      unit = omit[1];
      continue;
    }
    let m: RegExpExecArray | null;
    if ((m = TOTAL.exec(line))) {
      const amount = amountOf(m[1], m[2], m[3], m[4]);
      if (!amount) warn('Total amounts too large to be exact');
      else {
        value.total = amount;
        sawTotal = true;
        unit ??= m[2];
      }
      current = undefined;
      continue;
    }
    if (line.startsWith('Total:')) {
      warn(`Total line not understood (summary.diff output is not supported): "${clip(line)}"`);
      continue;
    }
    if (!current && (m = TOTAL_MALLOC.exec(line))) {
      setMalloc(value.total, m[1], m[2], m[3]);
      continue;
    }
    if (!current && (m = TOTAL_MMAP.exec(line))) {
      setMmap(value.total, m[1], m[2], m[3], m[4]);
      continue;
    }
    const category = matchCategory(line);
    if (category) {
      const a = category.amounts;
      const amount = amountOf(a[1], a[2], a[3], a[4]);
      const name = category.name;
      block = undefined;
      if (!amount) {
        warn(`category "${name}" amounts too large to be exact`);
        current = undefined;
        continue;
      }
      if (name in value.categories) warn(`category "${name}" repeated; the later one is kept`);
      value.categories[name] = amount;
      current = { name, amount };
      continue;
    }
    if (line.startsWith('(') && current) {
      block = readSubLine(line, current, value, block, warn);
      continue;
    }
    warn(`unrecognised line "${clip(line)}"`);
  }

  finish(value, sawTotal, unit, warnings);
  return { value, warnings };
}

/** One parenthesised line under a category; returns the metaspace block we are in afterwards. */
function readSubLine(
  line: string,
  current: { name: string; amount: NmtAmount },
  value: NmtSummary,
  block: Block,
  warn: (m: string) => void,
): Block {
  let m: RegExpExecArray | null;
  if ((m = SUB.classes.exec(line))) value.classes = Number(m[1]);
  else if ((m = SUB.classKinds.exec(line))) {
    value.instanceClasses = Number(m[1]);
    value.arrayClasses = Number(m[2]);
  } else if ((m = SUB.threads.exec(line))) value.threads = Number(m[1]);
  else if ((m = SUB.stack.exec(line))) value.threadStack = amountOf(m[1], m[2], m[3], m[4]);
  else if ((m = SUB.mallocStack.exec(line))) {
    const b = toBytes(m[1], m[2]);
    if (b !== undefined) value.threadStack = { reservedBytes: b, committedBytes: b };
  } else if ((m = SUB.malloc.exec(line))) setMalloc(current.amount, m[1], m[2], m[3]);
  else if ((m = SUB.mmap.exec(line))) setMmap(current.amount, m[1], m[2], m[3], m[4]);
  else if ((m = SUB.arena.exec(line))) {
    const b = toBytes(m[1], m[2]);
    if (b !== undefined) current.amount.arenaBytes = b;
  } else if (SUB.metadata.test(line)) return 'metadata';
  else if (SUB.classSpace.test(line)) return 'classSpace';
  else if (block && (m = SUB.blockTotal.exec(line))) {
    const a = amountOf(m[1], m[2], m[3], m[4]);
    if (a) value[block === 'metadata' ? 'metaspaceMetadata' : 'metaspaceClassSpace'] = a;
  } else if (block && (m = SUB.blockUsed.exec(line))) {
    const stats = value[block === 'metadata' ? 'metaspaceMetadata' : 'metaspaceClassSpace'];
    const used = toBytes(m[1], m[2]);
    if (stats && used !== undefined) stats.usedBytes = used;
  } else if (/^\([^()]*\)/.test(line)) {
    // Known but unused (`free=`, `waste=`, `tracking overhead=`) or added by a newer JDK.
  } else warn(`unreadable sub-line under "${current.name}": "${clip(line)}"`);
  return block;
}

function finish(
  value: NmtSummary,
  sawTotal: boolean,
  unit: string | undefined,
  warnings: ParseWarning[],
): void {
  const names = Object.keys(value.categories);
  if (!sawTotal) {
    if (value.unusable !== 'not-enabled') {
      value.unusable = 'missing-total';
      warnings.push({
        message: 'NMT: no "Total: reserved=…, committed=…" line; not an NMT summary or cut off',
      });
    }
    return;
  }
  if (names.length === 0) {
    warnings.push({ message: 'NMT: Total found but no categories (output cut off?)' });
    return;
  }
  const sum = names.reduce((s, n) => s + (value.categories[n] as NmtAmount).committedBytes, 0);
  const gap = value.total.committedBytes - sum;
  if (gap > TRUNCATION_SLACK_UNITS * unitBytes(unit)) {
    warnings.push({
      message: `NMT: categories sum to ${Math.round(sum / 1024)} KB committed but Total says ${Math.round(value.total.committedBytes / 1024)} KB (output cut off?)`,
    });
  }
}

function amountOf(
  r: string | undefined,
  ru: string | undefined,
  c: string | undefined,
  cu: string | undefined,
): NmtAmount | undefined {
  const reservedBytes = toBytes(r, ru);
  const committedBytes = toBytes(c, cu);
  return reservedBytes === undefined || committedBytes === undefined
    ? undefined
    : { reservedBytes, committedBytes };
}

function setMalloc(
  a: NmtAmount,
  size: string | undefined,
  unit: string | undefined,
  count: string | undefined,
): void {
  const b = toBytes(size, unit);
  if (b !== undefined) a.mallocBytes = b;
  if (count !== undefined) a.mallocCount = Number(count);
}

function setMmap(
  a: NmtAmount,
  r: string | undefined,
  ru: string | undefined,
  c: string | undefined,
  cu: string | undefined,
): void {
  const mm = amountOf(r, ru, c, cu);
  if (!mm) return;
  a.mmapReservedBytes = mm.reservedBytes;
  a.mmapCommittedBytes = mm.committedBytes;
}
