import type { CgroupSnapshot } from '../parse/cgroup/types.js';
import { promToMemStats } from '../parse/memstats/prom-to-memstats.js';
import type { MemStatsSample } from '../parse/memstats/types.js';
import type { VmstatSnapshot } from '../parse/proc/types.js';
import type { JvmMetrics } from '../parse/prom-text/jvm-metrics.js';
import { parsePromText } from '../parse/prom-text/parse-prom-text.js';
import { promToCgroup } from '../parse/prom-text/prom-to-cgroup.js';
import { promToJvm } from '../parse/prom-text/prom-to-jvm.js';
import { promToPsi, type PsiTotals } from '../parse/prom-text/prom-to-psi.js';
import { promToVmstat } from '../parse/prom-text/prom-to-vmstat.js';
import type { ParseResult, ParseWarning } from '../parse/types.js';

/** A cgroup reading as a Prometheus exporter gives it: the version is unknown and memory.stat is partial. */
export type MetricsCgroupReading = Omit<CgroupSnapshot, 'version' | 'rawStat' | 'pressure'> & {
  pressureTotals?: PsiTotals;
};

/** The series a metrics.jsonl holds, in the shapes the raw-file parsers produce. */
export interface MetricsSeries {
  memstats: MemStatsSample[];
  cgroup: MetricsCgroupReading[];
  vmstat: VmstatSnapshot[];
  psi: PsiTotals[];
  jvm: { ts: number; value: JvmMetrics }[];
}

/**
 * Reads metrics.jsonl (`{"ts": <unix ms>, "text": <Prometheus exposition>}` per line) into typed
 * series, so a bundle acquired from /metrics or a Prometheus server yields the same facts as one
 * built from raw files. Bad lines give warnings with their line numbers.
 */
export function readMetricsJsonl(text: string): ParseResult<MetricsSeries> {
  const value: MetricsSeries = { memstats: [], cgroup: [], vmstat: [], psi: [], jvm: [] };
  const warnings: ParseWarning[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let entry: unknown;
    try {
      entry = JSON.parse(raw);
    } catch {
      warnings.push({ line, message: 'not a JSON line; skipped' });
      return;
    }
    const { ts, text: body } = (entry ?? {}) as { ts?: unknown; text?: unknown };
    if (typeof ts !== 'number' || !Number.isFinite(ts) || typeof body !== 'string') {
      warnings.push({ line, message: 'expected {"ts": <unix ms>, "text": <exposition>}; skipped' });
      return;
    }
    const exp = parsePromText(body);
    // Exposition warnings are about lines inside the scrape; report them against this JSONL line.
    const local: ParseWarning[] = [...exp.warnings];
    const memstats = promToMemStats(exp.value, undefined, local);
    if (memstats) value.memstats.push({ ...memstats, ts });
    const cgroup = promToCgroup(exp.value, undefined, local);
    if (cgroup) value.cgroup.push({ ...cgroup, ts });
    const vmstat = promToVmstat(exp.value, undefined, local);
    if (vmstat) value.vmstat.push({ ...vmstat, ts });
    const psi = promToPsi(exp.value, undefined, local);
    if (psi) value.psi.push({ ...psi, ts });
    const jvm = promToJvm(exp.value, undefined, local);
    if (jvm) value.jvm.push({ ts, value: jvm });
    for (const w of local)
      warnings.push({
        line,
        message: w.line !== undefined ? `scrape line ${w.line}: ${w.message}` : w.message,
      });
  });
  return { value, warnings };
}
