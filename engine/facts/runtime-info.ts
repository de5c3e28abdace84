import type { BundleMeta } from '../bundle/types.js';
import type { MemStatsSample } from '../parse/memstats/types.js';

export type RuntimeKind = 'go' | 'jvm' | 'none';

/** meta.json's runtime string wins (`go1.19.8`, `openjdk version "17…"`, "" = none); else the artifacts tell. */
export function detectRuntime(meta: BundleMeta, present: { go: boolean; jvm: boolean }): RuntimeKind {
  const rt = typeof meta.runtime === 'string' ? meta.runtime.toLowerCase() : undefined;
  if (rt !== undefined && rt.startsWith('go')) return 'go';
  if (rt !== undefined && /openjdk|java|jdk|hotspot/.test(rt)) return 'jvm';
  if (present.go) return 'go';
  if (present.jvm) return 'jvm';
  return 'none';
}

/** GOMEMLIMIT's default: math.MaxInt64, i.e. no limit (runtime/mgcpacer.go, since Go 1.19). */
const NO_LIMIT = 2 ** 63 - 1;

const UNITS: Record<string, number> = { B: 1, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40 };

/**
 * Parses a GOMEMLIMIT value as the runtime does (runtime/debug docs: an integer with an optional
 * B, KiB, MiB, GiB or TiB suffix, or "off"). Returns undefined when it is not valid.
 */
export function parseGoMemLimit(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === 'off') return NO_LIMIT;
  const m = /^(\d+)(B|KiB|MiB|GiB|TiB)?$/.exec(trimmed);
  if (!m) return undefined;
  return Number(m[1]) * UNITS[m[2] ?? 'B']!;
}

/**
 * What we know about the Go memory limit: from meta.json `env.GOMEMLIMIT` (or `gomemlimit`), else from
 * a runtime/metrics `/gc/gomemlimit:bytes` reading. Undefined when no source says — which is
 * different from "not set": most bundles simply do not record the environment.
 */
export function goMemoryLimit(
  meta: BundleMeta,
  memstats: readonly MemStatsSample[],
): { set: boolean; bytes: number } | undefined {
  const fromEnv =
    meta.env?.['GOMEMLIMIT'] ?? (typeof meta['gomemlimit'] === 'string' ? meta['gomemlimit'] : undefined);
  let bytes = fromEnv !== undefined ? parseGoMemLimit(fromEnv) : undefined;
  if (fromEnv !== undefined && bytes === undefined) bytes = NO_LIMIT;
  if (meta.env !== undefined && fromEnv === undefined) bytes = NO_LIMIT;
  if (bytes === undefined)
    bytes = [...memstats].reverse().find((m) => m.memoryLimitBytes !== undefined)?.memoryLimitBytes;
  if (bytes === undefined) return undefined;
  return { set: bytes < NO_LIMIT, bytes };
}
