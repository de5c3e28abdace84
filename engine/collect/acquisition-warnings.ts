import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The file of a bundle that records what went wrong while it was gathered (read by derive-acquisition.ts). */
export const ACQUISITION_WARNINGS_FILE = 'acquisition-warnings.json';

export interface AcquisitionWarning {
  source: string;
  message: string;
  count?: number;
}

/**
 * Adds warnings to the bundle's acquisition-warnings.json, keeping what is there: the target's
 * acquisition and the webhook's own files both report into it, and neither may erase the other.
 * Small and written once or twice per incident, so synchronous.
 */
export function addAcquisitionWarnings(
  dir: string,
  warnings: readonly AcquisitionWarning[],
  target?: string,
): void {
  if (warnings.length === 0) return;
  const file = join(dir, ACQUISITION_WARNINGS_FILE);
  let doc: { target?: string; warnings: AcquisitionWarning[] } = { warnings: [] };
  if (existsSync(file)) {
    try {
      const old = JSON.parse(readFileSync(file, 'utf8')) as typeof doc;
      if (Array.isArray(old.warnings)) doc = old;
    } catch {
      // an unreadable earlier file is replaced: what is being added matters more
    }
  }
  if (target !== undefined) doc.target ??= target;
  doc.warnings.push(...warnings);
  writeFileSync(file, JSON.stringify(doc, null, 2));
}

/**
 * Records that no configured target matched the alert, as `noTarget`: the text the runbook says
 * instead of every file that is missing (`no target matches service=checkout`).
 */
export function recordNoTarget(dir: string, noTarget: string): void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, ACQUISITION_WARNINGS_FILE);
  let doc: Record<string, unknown> = { warnings: [] };
  if (existsSync(file)) {
    try {
      doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      // replaced, as in addAcquisitionWarnings
    }
  }
  writeFileSync(file, JSON.stringify({ ...doc, noTarget }, null, 2));
}
