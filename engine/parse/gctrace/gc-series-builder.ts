import {
  F_AT,
  F_CPU,
  F_FORCED,
  F_GOAL,
  F_HEAP0,
  F_HEAP1,
  F_HEAP2,
  F_NUM,
  F_STACKS,
  GC_FIELDS,
} from './gc-line.js';
import type { GcSeries, GcTotals } from './types.js';

/** gctrace sizes are MiB (`>> 20`). */
const MIB = 1048576;

const INITIAL_CAPACITY = 256;

/**
 * Appends cycles to typed-array columns (GcSeries). Capacity doubles up to `cap` points; at the
 * cap the builder keeps every other point and doubles `stride`, then records only every
 * `stride`-th cycle. Memory is therefore bounded by `cap` × 58 bytes whatever the log length,
 * and the series still spans the whole run evenly, which is what a least-squares slope needs.
 * The log's last cycle is always the last point (appended when thinning skipped it), and a few
 * totals (GcTotals) are kept over every cycle offered, thinned or not.
 */
export class GcSeriesBuilder {
  private readonly cap: number;
  private length = 0;
  private capacity = 0;
  private stride = 1;
  /** Cycles to skip before the next one is recorded (cycle k is kept when k % stride === 0). */
  private skip = 0;
  private num = new Uint32Array(0);
  private atSeconds = new Float64Array(0);
  private cpuPercent = new Uint8Array(0);
  private forced = new Uint8Array(0);
  private heapStartBytes = new Float64Array(0);
  private heapEndBytes = new Float64Array(0);
  private liveHeapBytes = new Float64Array(0);
  private goalBytes = new Float64Array(0);
  private stacksBytes = new Float64Array(0);
  private line = new Uint32Array(0);
  /** The last cycle offered, when it was skipped (fields, then its line number). */
  private readonly tail = new Float64Array(GC_FIELDS + 1);
  private hasTail = false;
  private readonly totals: GcTotals = { maxLiveHeapBytes: 0, forcedCycles: 0 };

  constructor(cap: number) {
    // An even cap of at least 2 keeps thinning simple (it halves the length exactly).
    this.cap = Math.max(2, Math.floor(cap / 2) * 2);
  }

  /** Offers the cycle scanned into `row[o …]` (gc-line field layout), read from line `lineNo`. */
  add(row: Float64Array, o: number, lineNo: number): void {
    const live = row[o + F_HEAP2]! * MIB;
    if (live > this.totals.maxLiveHeapBytes) this.totals.maxLiveHeapBytes = live;
    if (row[o + F_FORCED] === 1) this.totals.forcedCycles++;
    if (this.skip > 0) {
      this.skip--;
      // A loop, not `set(row.subarray(…))`: once thinned, most cycles land here, and a subarray
      // per cycle was an allocation per line for the GC to collect.
      const tail = this.tail;
      for (let k = 0; k < GC_FIELDS; k++) tail[k] = row[o + k]!;
      this.tail[GC_FIELDS] = lineNo;
      this.hasTail = true;
      return;
    }
    this.hasTail = false;
    if (this.length === this.capacity) {
      if (this.capacity < this.cap)
        this.grow(Math.min(this.cap, Math.max(INITIAL_CAPACITY, this.capacity * 2)));
      else this.thin();
    }
    this.skip = this.stride - 1;
    this.put(this.length++, row, o, lineNo);
  }

  /** Over every cycle offered, including those thinning dropped. */
  buildTotals(): GcTotals {
    return { ...this.totals };
  }

  private put(i: number, row: Float64Array, o: number, lineNo: number): void {
    this.num[i] = row[o + F_NUM]!;
    this.atSeconds[i] = row[o + F_AT]!;
    this.cpuPercent[i] = row[o + F_CPU]!;
    this.forced[i] = row[o + F_FORCED]!;
    this.heapStartBytes[i] = row[o + F_HEAP0]! * MIB;
    this.heapEndBytes[i] = row[o + F_HEAP1]! * MIB;
    this.liveHeapBytes[i] = row[o + F_HEAP2]! * MIB;
    this.goalBytes[i] = row[o + F_GOAL]! * MIB;
    const stacks = row[o + F_STACKS]!;
    this.stacksBytes[i] = stacks >= 0 ? stacks * MIB : NaN;
    this.line[i] = lineNo;
  }

  /** Views of the filled part of each column (no copy), plus the skipped last cycle if any (a copy). */
  build(): GcSeries {
    if (this.hasTail) {
      if (this.length === this.capacity) this.grow(this.capacity + 1);
      this.put(this.length, this.tail, 0, this.tail[GC_FIELDS]!);
    }
    const n = this.length + (this.hasTail ? 1 : 0);
    return {
      stride: this.stride,
      num: this.num.subarray(0, n),
      atSeconds: this.atSeconds.subarray(0, n),
      cpuPercent: this.cpuPercent.subarray(0, n),
      forced: this.forced.subarray(0, n),
      heapStartBytes: this.heapStartBytes.subarray(0, n),
      heapEndBytes: this.heapEndBytes.subarray(0, n),
      liveHeapBytes: this.liveHeapBytes.subarray(0, n),
      goalBytes: this.goalBytes.subarray(0, n),
      stacksBytes: this.stacksBytes.subarray(0, n),
      line: this.line.subarray(0, n),
    };
  }

  private grow(capacity: number): void {
    const copy = <T extends Uint8Array | Uint32Array | Float64Array>(old: T, fresh: T): T => {
      fresh.set(old.subarray(0, this.length));
      return fresh;
    };
    this.num = copy(this.num, new Uint32Array(capacity));
    this.atSeconds = copy(this.atSeconds, new Float64Array(capacity));
    this.cpuPercent = copy(this.cpuPercent, new Uint8Array(capacity));
    this.forced = copy(this.forced, new Uint8Array(capacity));
    this.heapStartBytes = copy(this.heapStartBytes, new Float64Array(capacity));
    this.heapEndBytes = copy(this.heapEndBytes, new Float64Array(capacity));
    this.liveHeapBytes = copy(this.liveHeapBytes, new Float64Array(capacity));
    this.goalBytes = copy(this.goalBytes, new Float64Array(capacity));
    this.stacksBytes = copy(this.stacksBytes, new Float64Array(capacity));
    this.line = copy(this.line, new Uint32Array(capacity));
    this.capacity = capacity;
  }

  /** Keeps points 0, 2, 4, … in place: each kept point is a cycle whose index is a multiple of 2 × stride. */
  private thin(): void {
    const cols = [
      this.num,
      this.atSeconds,
      this.cpuPercent,
      this.forced,
      this.heapStartBytes,
      this.heapEndBytes,
      this.liveHeapBytes,
      this.goalBytes,
      this.stacksBytes,
      this.line,
    ];
    const half = this.length >> 1;
    for (const col of cols) for (let i = 1; i < half; i++) col[i] = col[2 * i]!;
    this.length = half;
    this.stride *= 2;
  }
}
