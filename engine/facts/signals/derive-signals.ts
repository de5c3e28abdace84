import type { DeriveContext } from '../derive-context.js';
import type { FactSetBuilder } from '../fact-set-builder.js';
import { deriveFootprint, deriveIoPressure } from './footprint.js';
import { deriveGcPressure } from './gc-pressure.js';
import { deriveGoResident } from './go-resident.js';
import { deriveGoroutines, deriveStacks } from './goroutines.js';
import type { SignalInputs } from './inputs.js';
import { deriveJvmGrowth } from './jvm-growth.js';
import { deriveLiveHeap } from './live-heap.js';

export type { SignalInputs } from './inputs.js';

/**
 * A signal the rules can rely on whichever source carried it. Each `signal.*` fact says the same
 * thing from the best source present, in this order, so that a rule does not flip when one source is
 * missing: the live heap after GC from gctrace, else from MemStats (the lowest HeapAlloc between two
 * GCs), else from the heap profiles (each describes the heap as of its last GC).
 */
export function deriveSignals(inputs: SignalInputs, ctx: DeriveContext, out: FactSetBuilder): void {
  deriveLiveHeap(inputs, ctx, out);
  deriveGcPressure(inputs, out);
  deriveGoroutines(inputs, out);
  deriveStacks(inputs, out);
  deriveFootprint(inputs, ctx, out);
  deriveIoPressure(inputs, out);
  // These two compare signals derived above (and the jvm.* facts): they run last.
  deriveGoResident(inputs, out);
  deriveJvmGrowth(inputs, out);
}
