import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The file of a bundle that records what went wrong while it was gathered (read by derive-acquisition.ts). */
export const ACQUISITION_WARNINGS_FILE = 'acquisition-warnings.json';

export interface AcquisitionWarning {
  source: string;
  message: string;
  count?: number;
}

/** The bundle's acquisition-warnings.json as an object; undefined when it is absent or not one. */
export function readAcquisitionWarnings(dir: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(readFileSync(join(dir, ACQUISITION_WARNINGS_FILE), 'utf8')) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    // absent, or unreadable: an earlier file that cannot be read is replaced by what is added
    return undefined;
  }
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
  type Doc = { target?: string; warnings: AcquisitionWarning[] };
  const old = readAcquisitionWarnings(dir);
  const doc: Doc = old && Array.isArray(old.warnings) ? (old as Doc) : { warnings: [] };
  if (target !== undefined) doc.target ??= target;
  doc.warnings.push(...warnings);
  writeFileSync(join(dir, ACQUISITION_WARNINGS_FILE), JSON.stringify(doc, null, 2));
}

/**
 * Records that no configured target matched the alert, as `noTarget`: the text the runbook says
 * instead of every file that is missing (`no target matches service=checkout`).
 */
export function recordNoTarget(dir: string, noTarget: string): void {
  mkdirSync(dir, { recursive: true });
  const doc = readAcquisitionWarnings(dir) ?? { warnings: [] };
  writeFileSync(join(dir, ACQUISITION_WARNINGS_FILE), JSON.stringify({ ...doc, noTarget }, null, 2));
}
