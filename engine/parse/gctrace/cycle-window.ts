import {
  F_AT,
  F_CPU,
  F_FORCED,
  F_GLOBALS,
  F_GOAL,
  F_HEAP0,
  F_HEAP1,
  F_HEAP2,
  F_NUM,
  F_PROCS,
  F_STACKS,
  F_WALL0,
  F_WALL1,
  F_WALL2,
  GC_FIELDS,
} from './gc-line.js';
import type { GcCycle } from './types.js';

/** gctrace prints sizes as `bytes >> 20` (golang/go: src/runtime/mgc.go), so "MB" is MiB. */
export const MIB = 1048576;

/** One scanned row plus its line number. */
const ROW = GC_FIELDS + 1;
const R_LINE = GC_FIELDS;

/**
 * The last `keep` cycles, stored as raw rows in one Float64Array (a ring once full) and turned
 * into GcCycle objects only at the end. Objects are built for the survivors only, so a streamed
 * log of millions of cycles allocates no per-cycle object at all.
 */
export class CycleWindow {
  private readonly keep: number;
  private rows = new Float64Array(0);
  private capacity = 0;
  /** Rows written in total; the ring holds the last min(written, keep). */
  private written = 0;

  constructor(keep: number) {
    this.keep = Math.max(0, keep);
  }

  add(row: Float64Array, line: number): void {
    if (this.keep === 0) return;
    if (this.written < this.keep && this.written === this.capacity) {
      const grown = new Float64Array(Math.min(this.keep, Math.max(64, this.capacity * 2)) * ROW);
      grown.set(this.rows);
      this.rows = grown;
      this.capacity = grown.length / ROW;
    }
    const at = (this.written % this.capacity) * ROW;
    for (let k = 0; k < GC_FIELDS; k++) this.rows[at + k] = row[k]!;
    this.rows[at + R_LINE] = line;
    this.written++;
  }

  /** The kept cycles, oldest first. */
  build(): GcCycle[] {
    const n = Math.min(this.written, this.keep);
    const first = this.written - n;
    const out: GcCycle[] = new Array<GcCycle>(n);
    for (let i = 0; i < n; i++) out[i] = this.cycle(((first + i) % this.capacity) * ROW);
    return out;
  }

  private cycle(at: number): GcCycle {
    const r = this.rows;
    const cycle: GcCycle = {
      line: r[at + R_LINE]!,
      num: r[at + F_NUM]!,
      atSeconds: r[at + F_AT]!,
      cpuPercent: r[at + F_CPU]!,
      forced: r[at + F_FORCED] === 1,
      wallMs: [r[at + F_WALL0]!, r[at + F_WALL1]!, r[at + F_WALL2]!],
      heapStartBytes: r[at + F_HEAP0]! * MIB,
      heapEndBytes: r[at + F_HEAP1]! * MIB,
      liveHeapBytes: r[at + F_HEAP2]! * MIB,
      goalBytes: r[at + F_GOAL]! * MIB,
      procs: r[at + F_PROCS]!,
    };
    if (r[at + F_STACKS]! >= 0) {
      cycle.stacksBytes = r[at + F_STACKS]! * MIB;
      cycle.globalsBytes = r[at + F_GLOBALS]! * MIB;
    }
    return cycle;
  }
}
