import type { ParseResult, ParseWarning } from '../types.js';
import { CycleWindow } from './cycle-window.js';
import { F_NUM, GC_NOT_GC, scanGcLine } from './gc-line.js';
import { GcSeriesBuilder } from './gc-series-builder.js';
import { hasMarker, isMarkerStart, MARKER_FORCED, MARKER_GC, markerAt, NO_MARKER } from './markers.js';
import { looksLikeScavengeLine, parseScavengeLine } from './scavenge-line.js';
import type { GctraceLog, ScavengeLine } from './types.js';
import { parseCriPrefix, parseJsonLogLine } from './unwrap-line.js';

export interface GctraceParseOptions {
  /**
   * Keep GcCycle and ScavengeLine objects for only the last N cycles / scavenger lines. The
   * counts, the typed-array series and the warnings still cover the whole log. Default: all.
   */
  keepLast?: number;
  /** Points in `series` before it is thinned (see GcSeries). Default 2^17 = 131 072 points (6 MB). */
  seriesCap?: number;
  /** Warnings kept before the rest are only counted. Default 1000. */
  maxWarnings?: number;
}

/** A split line (CRI `P`, docker partial entry) waiting for its last piece; capped at this size. */
const MAX_PENDING_BYTES = 1 << 20;
const EXCERPT_CHARS = 120;
/** Longest scavenger line read (the longest form, Go 1.21's, is about 110 characters). */
const MAX_SCAVENGE_CHARS = 256;
const GC_FORCED_LENGTH = 'GC forced'.length;

interface Pending {
  line: number;
  parts: Buffer[];
  size: number;
}

/** The last `n` items (none for n = 0: `slice(-0)` would keep them all). */
function lastOf<T>(items: T[], n: number): T[] {
  return n <= 0 ? [] : items.slice(-n);
}

/** Printable excerpt of a line for a warning: control bytes and binary garbage become `?`. */
function excerpt(b: Buffer, start: number, end: number): string {
  const text = b.toString('latin1', start, Math.min(end, start + EXCERPT_CHARS));
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x1f\x7f-\xff]/g, '?') + (end - start > EXCERPT_CHARS ? '…' : '');
}

/**
 * Classifies gctrace output one line at a time. Lines arrive as byte ranges of the read buffer
 * (see createGctraceParser); nothing is copied or decoded on the path of a plain `gc N @…` line.
 */
export class GctraceAccumulator {
  /** Number of the last line read (1-based). */
  lineNo = 0;
  private readonly window: CycleWindow;
  private readonly series: GcSeriesBuilder;
  private readonly keepLast: number;
  private readonly maxWarnings: number;
  private readonly warnings: ParseWarning[] = [];
  private suppressedWarnings = 0;
  private scavenges: ScavengeLine[] = [];
  private scavengeCount = 0;
  private cycleCount = 0;
  private lastNum = 0;
  private restarts = 0;
  private forcedGcLines = 0;
  private forcedGcLineNumbers: number[] = [];
  private otherLines = 0;
  private readonly pending = new Map<string, Pending>();

  constructor(options: GctraceParseOptions = {}) {
    this.keepLast = Math.max(0, Math.floor(options.keepLast ?? Infinity));
    this.maxWarnings = options.maxWarnings ?? 1000;
    this.window = new CycleWindow(this.keepLast);
    this.series = new GcSeriesBuilder(options.seriesCap ?? 1 << 17);
  }

  /**
   * Reads every complete line of `b` from offset `from` and returns the offset after the last
   * newline. The hot loop: a bare `gc N @…` line is scanned in place, straight into the cycle
   * window's next slot: no copy, no string, no allocation.
   */
  lines(b: Buffer, from: number): number {
    let p = from;
    for (let nl = b.indexOf(0x0a, p); nl !== -1; nl = b.indexOf(0x0a, p)) {
      const lineNo = ++this.lineNo;
      const end = nl > p && b[nl - 1] === 0x0d ? nl - 1 : nl;
      if (b[p] === 0x67 && b[p + 1] === 0x63 && b[p + 2] === 0x20) {
        const r = scanGcLine(b, p, end, this.window.rows, this.window.next);
        if (r === 0) this.record(lineNo);
        else if (r !== GC_NOT_GC) this.garbled(b, p, end, lineNo, r);
        else if (!this.search(b, p, end, lineNo)) this.otherLines++;
      } else if (end > p && !this.classify(b, p, end, lineNo, 0)) this.otherLines++;
      p = nl + 1;
    }
    return p;
  }

  warn(line: number | undefined, message: string): void {
    if (this.warnings.length < this.maxWarnings)
      this.warnings.push(line === undefined ? { message } : { line, message });
    else this.suppressedWarnings++;
  }

  finish(): ParseResult<GctraceLog> {
    for (const [key, p] of this.pending) {
      this.pending.delete(key);
      this.warn(p.line, 'log ends inside a split line (no final piece); parsed what was there');
      if (!this.inner(Buffer.concat(p.parts), p.line, 1)) this.otherLines++;
    }
    const warnings = [...this.warnings];
    if (this.suppressedWarnings > 0)
      warnings.push({ message: `${this.suppressedWarnings} more warnings not shown` });
    const cycles = this.window.build();
    return {
      value: {
        cycles,
        forcedGcLines: this.forcedGcLines,
        scavenges: lastOf(this.scavenges, this.keepLast),
        otherLines: this.otherLines,
        cycleCount: this.cycleCount,
        scavengeCount: this.scavengeCount,
        series: this.series.build(),
        totals: this.series.buildTotals(),
        forcedGcLineNumbers: lastOf(this.forcedGcLineNumbers, this.keepLast),
        restarts: this.restarts,
      },
      warnings,
    };
  }

  /** True when the line held gctrace content (or a piece of a split line); false for other lines. */
  private classify(b: Buffer, start: number, end: number, lineNo: number, depth: number): boolean {
    const c0 = b[start]!;
    if (c0 === 0x67 && b[start + 1] === 0x63 && b[start + 2] === 0x20) {
      const r = scanGcLine(b, start, end, this.window.rows, this.window.next);
      if (r === 0) this.record(lineNo);
      else if (r !== GC_NOT_GC) this.garbled(b, start, end, lineNo, r);
      if (r !== GC_NOT_GC) return true;
    }
    // A JSON line may sit inside a CRI line (depth 1); nothing is unwrapped deeper than that.
    if (depth < 2 && c0 === 0x7b) {
      const handled = this.jsonLine(b, start, end, lineNo, depth);
      if (handled !== undefined) return handled;
    } else if (depth === 0 && c0 >= 0x30 && c0 <= 0x39) {
      const cri = parseCriPrefix(b, start, end);
      if (cri !== undefined) {
        const key = `cri:${cri.stream}`;
        if (cri.partial) return this.addPending(key, b.subarray(cri.contentStart, end), lineNo);
        const p = this.takePending(key, b.subarray(cri.contentStart, end));
        if (p !== undefined) return this.inner(p.bytes, p.line, 1);
        return cri.contentStart < end && this.classify(b, cri.contentStart, end, lineNo, 1);
      }
    }
    return this.search(b, start, end, lineNo);
  }

  /**
   * gctrace, `GC forced` or scavenger text at the start of the line or after a prefix
   * (`2026-… app | gc 12 @…`). One pass over the line's bytes in JS: this runs for every
   * application line, and a native search per needle would rescan the whole buffer.
   */
  private search(b: Buffer, start: number, end: number, lineNo: number): boolean {
    for (let i = start; i < end; i++) {
      if (!isMarkerStart(b[i])) continue;
      const marker = markerAt(b, i, start, end);
      if (marker === NO_MARKER) continue;
      if (marker === MARKER_FORCED) {
        // forcegchelper prints exactly `GC forced` (golang/go: src/runtime/proc.go): it ends the line.
        if (i + GC_FORCED_LENGTH !== end) continue;
        this.forcedGcLines++;
        this.forcedGcLineNumbers.push(lineNo);
        if (this.forcedGcLineNumbers.length > 2 * this.keepLast)
          this.forcedGcLineNumbers = lastOf(this.forcedGcLineNumbers, this.keepLast);
        return true;
      }
      if (marker === MARKER_GC) {
        const r = scanGcLine(b, i, end, this.window.rows, this.window.next);
        if (r === GC_NOT_GC) continue;
        if (r === 0) this.record(lineNo);
        else this.garbled(b, start, end, lineNo, r + i - start);
        return true;
      }
      // Scavenger lines are under 200 bytes: decoding only that much keeps a line of many
      // `scvg` markers linear (decoding the rest of the line at each marker was quadratic).
      const text = b.toString('latin1', i, Math.min(end, i + MAX_SCAVENGE_CHARS));
      const scav = parseScavengeLine(text, lineNo);
      if (scav !== undefined) {
        this.scavengeCount++;
        this.scavenges.push(scav);
        if (this.scavenges.length > 2 * this.keepLast) this.scavenges = lastOf(this.scavenges, this.keepLast);
        return true;
      }
      if (looksLikeScavengeLine(text)) {
        this.warn(lineNo, `truncated or garbled scavenger line: ${excerpt(b, start, end)}`);
        return true;
      }
    }
    return false;
  }

  private jsonLine(
    b: Buffer,
    start: number,
    end: number,
    lineNo: number,
    depth: number,
  ): boolean | undefined {
    // JSON.parse costs microseconds: only pay it for lines that can hold gctrace or continue one.
    if (this.pending.size === 0 && !hasMarker(b, start, end)) return false;
    const msg = parseJsonLogLine(b.toString('utf8', start, end));
    if (msg === undefined) return undefined;
    if (msg === null) return false;
    const key = `json:${msg.stream}`;
    const bytes = Buffer.from(msg.text, 'utf8');
    if (msg.partial) return this.addPending(key, bytes, lineNo);
    const p = this.takePending(key, bytes);
    return p !== undefined ? this.inner(p.bytes, p.line, depth + 1) : this.inner(bytes, lineNo, depth + 1);
  }

  /** Unwrapped text, which may hold several lines; each is classified on the wrapper's line number. */
  private inner(bytes: Buffer, lineNo: number, depth: number): boolean {
    const b = Buffer.allocUnsafe(bytes.length + 1);
    bytes.copy(b);
    b[bytes.length] = 0x0a;
    let any = false;
    for (let p = 0, nl = b.indexOf(0x0a); nl !== -1; p = nl + 1, nl = b.indexOf(0x0a, p)) {
      const end = nl > p && b[nl - 1] === 0x0d ? nl - 1 : nl;
      if (end > p && this.classify(b, p, end, lineNo, depth)) any = true;
    }
    return any;
  }

  private addPending(key: string, piece: Buffer, lineNo: number): boolean {
    let p = this.pending.get(key);
    if (p === undefined) {
      p = { line: lineNo, parts: [], size: 0 };
      this.pending.set(key, p);
    }
    p.size += piece.length;
    if (p.size > MAX_PENDING_BYTES) {
      this.pending.delete(key);
      this.warn(p.line, `split line longer than ${MAX_PENDING_BYTES} bytes was skipped`);
      return false;
    }
    p.parts.push(Buffer.from(piece));
    return true;
  }

  private takePending(key: string, last: Buffer): { bytes: Buffer; line: number } | undefined {
    const p = this.pending.get(key);
    if (p === undefined) return undefined;
    this.pending.delete(key);
    return { bytes: Buffer.concat([...p.parts, last]), line: p.line };
  }

  private garbled(b: Buffer, start: number, end: number, lineNo: number, column: number): void {
    this.warn(
      lineNo,
      `truncated or garbled gctrace line (stops matching at column ${column}), skipped: ${excerpt(b, start, end)}`,
    );
  }

  /** Keeps the cycle just scanned into the window's next slot. */
  private record(lineNo: number): void {
    const rows = this.window.rows;
    const o = this.window.next;
    const num = rows[o + F_NUM]!;
    if (this.cycleCount > 0 && num <= this.lastNum) {
      this.restarts++;
      this.warn(
        lineNo,
        `gc ${num} follows gc ${this.lastNum}: the GC number went backwards, so the process probably restarted ` +
          'and times (@Ns) restart from zero here',
      );
    }
    this.lastNum = num;
    this.cycleCount++;
    this.series.add(rows, o, lineNo);
    this.window.commit(lineNo);
  }
}
