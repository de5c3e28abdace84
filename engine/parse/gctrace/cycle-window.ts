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
export const ROW = GC_FIELDS + 1;
const R_LINE = GC_FIELDS;

/**
 * The last `keep` cycles as raw rows in one Float64Array (a ring once full), turned into GcCycle
 * objects only at the end, and only for the survivors: a streamed log of millions of cycles
 * allocates no per-cycle object. The scanner writes straight into the next free slot
 * (`rows`, `next`); `commit` keeps it, and a line that fails to scan simply leaves it free.
 */
export class CycleWindow {
  private readonly keep: number;
  rows: Float64Array;
  /** Offset in `rows` of the slot the next cycle is scanned into. */
  next = 0;
  /** Rows committed in total; the ring holds the last min(committed, keep). */
  private committed = 0;

  constructor(keep: number) {
    this.keep = Math.max(0, Math.floor(keep));
    // With keep = 0 the one slot is scratch space, overwritten by every cycle.
    this.rows = new Float64Array(Math.max(1, Math.min(this.keep, 64)) * ROW);
  }

  commit(line: number): void {
    this.rows[this.next + R_LINE] = line;
    this.committed++;
    if (this.keep === 0) return;
    this.next += ROW;
    if (this.next < this.rows.length) return;
    if (this.rows.length < this.keep * ROW) {
      const grown = new Float64Array(Math.min(this.keep, (this.rows.length / ROW) * 2) * ROW);
      grown.set(this.rows);
      this.rows = grown;
    } else this.next = 0;
  }

  /** The kept cycles, oldest first. */
  build(): GcCycle[] {
    const capacity = this.rows.length / ROW;
    const n = Math.min(this.committed, this.keep);
    // Once the ring has wrapped, the oldest kept row is the one `next` points at.
    const first = this.committed > capacity ? this.next / ROW : 0;
    const out: GcCycle[] = new Array<GcCycle>(n);
    for (let i = 0; i < n; i++) out[i] = this.cycle(((first + i) % capacity) * ROW);
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
