import type { RawBundle } from '../bundle/types.js';
import type { FactSetBuilder } from './fact-set-builder.js';

/** Sources a collector reads from the service itself; a failure there means the process did not answer. */
const TARGET_SOURCES = new Set(['expvar', 'pprof', 'metrics']);

interface Warning {
  source?: unknown;
  message?: unknown;
  count?: unknown;
}

/**
 * How collection went is evidence too: a target that refused connections during a memory alert may
 * have been OOM-killed or be restarting. Reads the warnings `memtriage collect` writes into meta.json
 * and the ones the server writes to acquisition-warnings.json.
 */
export function deriveAcquisition(
  bundle: RawBundle,
  hasRuntimeData: boolean,
  out: FactSetBuilder,
  nothingAcquired = false,
): void {
  const warnings = [
    ...listOf(bundle.meta?.['warnings']),
    ...listOf(bundle.acquisitionWarnings?.['warnings']),
  ];
  report(bundle, warnings, nothingAcquired, out);
  const byKind = new Map<string, number>();
  let failures = 0;
  for (const w of warnings) {
    if (typeof w.source !== 'string' || !TARGET_SOURCES.has(w.source) || typeof w.message !== 'string')
      continue;
    const n = typeof w.count === 'number' && w.count > 0 ? w.count : 1;
    failures += n;
    const kind = failureKind(w.message);
    byKind.set(kind, (byKind.get(kind) ?? 0) + n);
  }
  if (
    warnings.length === 0 &&
    bundle.meta?.['warnings'] === undefined &&
    bundle.acquisitionWarnings === undefined
  )
    return;
  out.put('acquisition.targetFailures', failures);
  if (failures === 0) return;
  const [top] = [...byKind].sort((a, b) => b[1] - a[1]);
  out.put('acquisition.targetFailure', top![0]);
  out.put('acquisition.runtimeDataMissing', !hasRuntimeData);
}

/** The problems, each once with its count, and whether a target matched at all. */
function report(bundle: RawBundle, warnings: Warning[], nothingAcquired: boolean, out: FactSetBuilder): void {
  const doc = bundle.acquisitionWarnings;
  const noTarget = typeof doc?.['noTarget'] === 'string' ? doc['noTarget'] : undefined;
  const target = typeof doc?.['target'] === 'string' ? doc['target'] : undefined;
  const problems = new Map<string, { source: string; message: string; count: number }>();
  for (const w of warnings) {
    if (typeof w.message !== 'string') continue;
    const source = typeof w.source === 'string' ? w.source : 'collect';
    const n = typeof w.count === 'number' && w.count > 0 ? w.count : 1;
    const key = `${source}\0${w.message}`;
    const p = problems.get(key);
    if (p) p.count += n;
    else problems.set(key, { source, message: w.message, count: n });
  }
  if (problems.size === 0 && noTarget === undefined) return;
  out.acquisition({
    ...(target !== undefined ? { target } : {}),
    ...(noTarget !== undefined ? { noTarget } : {}),
    nothingAcquired,
    problems: [...problems.values()],
  });
}

/** The failure's kind from the collector's message (engine/collect/http/http-get.ts wording). */
export function failureKind(message: string): string {
  if (/ECONNREFUSED|ECONNRESET|EPIPE|socket hang up/i.test(message)) return 'refused';
  if (/no answer within|ETIMEDOUT|timed? ?out/i.test(message)) return 'timeout';
  if (/HTTP 404\b/.test(message)) return 'http-404';
  if (/HTTP \d{3}\b/.test(message)) return 'http-error';
  if (/ENOTFOUND|EAI_AGAIN/.test(message)) return 'unresolved';
  return 'other';
}

function listOf(value: unknown): Warning[] {
  return Array.isArray(value) ? value.filter((w): w is Warning => typeof w === 'object' && w !== null) : [];
}
