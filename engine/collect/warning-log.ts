import type { CollectWarning } from './types.js';

/**
 * Collects warnings and notes over a run. A target that is down answers the same error on
 * every sample; folding repeats into one entry with a count keeps meta.json readable.
 */
export interface WarningLog {
  add(warnings: readonly CollectWarning[], ts?: number): void;
  note(notes: readonly string[]): void;
  warnings(): CollectWarning[];
  notes(): string[];
}

export function createWarningLog(): WarningLog {
  const byKey = new Map<string, CollectWarning>();
  const notes = new Set<string>();
  return {
    add(warnings, ts) {
      for (const w of warnings) {
        const key = `${w.source}\u0000${w.message}`;
        const seen = byKey.get(key);
        if (seen) {
          seen.count = (seen.count ?? 1) + (w.count ?? 1);
          continue;
        }
        const firstTs = w.firstTs ?? ts;
        byKey.set(key, { ...w, ...(firstTs === undefined ? {} : { firstTs }) });
      }
    },
    note(list) {
      for (const n of list) notes.add(n);
    },
    warnings: () => [...byKey.values()].map((w) => ({ ...w })),
    notes: () => [...notes],
  };
}
