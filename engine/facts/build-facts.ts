import type { RawBundle } from '../bundle/types.js';
import { parseCgroupFiles } from '../parse/cgroup/parse-cgroup.js';
import { parseDmesg } from '../parse/dmesg/parse-dmesg.js';
import { parseJvmGcLog } from '../parse/jvm-gc/parse-jvm-gc.js';
import { parseHeapDebugText } from '../parse/memstats/parse-heap-text.js';
import type { MemStatsSample } from '../parse/memstats/types.js';
import { parseNmtSummary } from '../parse/nmt/parse-nmt.js';
import { DecodeBudget, parseHeapProfile } from '../parse/pprof/parse-heap-profile.js';
import { growthOverSeries } from '../parse/pprof/profile-growth.js';
import type { HeapProfile } from '../parse/pprof/types.js';
import { parseProcStatus } from '../parse/proc/parse-proc-status.js';
import { parsePsi } from '../parse/proc/parse-psi.js';
import { parseVmstat } from '../parse/proc/parse-vmstat.js';
import type { VmstatSnapshot } from '../parse/proc/types.js';
import type { ParseResult } from '../parse/types.js';
import { ratio, type DeriveContext } from './derive-context.js';
import { deriveAcquisition } from './derive-acquisition.js';
import { deriveAlert } from './derive-alert.js';
import { cgroupLimit, deriveCgroup, type CgroupReading } from './derive-cgroup.js';
import { deriveGctrace } from './derive-gctrace.js';
import { deriveProcess, derivePsi, deriveVmstat, type PsiReading } from './derive-host.js';
import { deriveJvmGc, deriveNmt } from './derive-jvm.js';
import { deriveJvmMetrics } from './derive-jvm-metrics.js';
import { deriveKernel } from './derive-kernel.js';
import { deriveMemstats } from './derive-memstats.js';
import { deriveSignals } from './signals/derive-signals.js';
import { parseGoroutineCounts } from '../parse/memstats/parse-goroutine-counts.js';
import { derivePprof } from './derive-pprof.js';
import { overlayAttachedFacts } from './attached-facts.js';
import { FactSetBuilder } from './fact-set-builder.js';
import { readMetricsJsonl } from './read-metrics.js';
import { detectRuntime, goMemoryLimit } from './runtime-info.js';
import type { FactSet } from './types.js';

/** Parses every artifact of a bundle and derives the fact set the rules read. Never throws on bad data. */
export function buildFacts(bundle: RawBundle): FactSet {
  const out = new FactSetBuilder();
  const take = <T>(file: string, result: ParseResult<T>): T => {
    out.warn(file, result.warnings);
    return result.value;
  };

  const psiFiles = (dirs: RawBundle['proc'], file: string, sub: string) =>
    dirs.flatMap((d) =>
      d.value[file] === undefined ? [] : [take(`${sub}/${d.ts}/${file}`, parsePsi(d.value[file], d.ts))],
    );

  const metrics = bundle.metricsJsonl
    ? take('metrics.jsonl', readMetricsJsonl(bundle.metricsJsonl))
    : undefined;
  // Raw artifacts win over an exporter's view of the same thing; heap.txt is a last single snapshot.
  // Parsed as it was read (readBundle); an empty file is no MemStats, as it always was.
  let memstats: MemStatsSample[] =
    bundle.memstats && bundle.memstats.bytes > 0 ? take('memstats.jsonl', bundle.memstats) : [];
  if (memstats.length === 0 && metrics) memstats = metrics.memstats;
  if (memstats.length === 0 && bundle.heapText)
    memstats = [take('heap.txt', parseHeapDebugText(bundle.heapText))];
  // Parsed as it was read (readBundle); an empty file is no gctrace, as it always was.
  const gctrace =
    bundle.gctrace && bundle.gctrace.bytes > 0 ? take('gctrace.log', bundle.gctrace) : undefined;
  // One budget of decoded profile bytes for the whole incident (a bomb in each of many files).
  const budget = new DecodeBudget();
  const profiles = bundle.profiles.map((p) => take(`pprof/${p.ts}.pb.gz`, parseHeapProfile(p.value, budget)));
  const latest: HeapProfile | undefined = bundle.heapProfile
    ? take('heap.pb.gz', parseHeapProfile(bundle.heapProfile, budget))
    : profiles[profiles.length - 1];
  let cgroups: CgroupReading[] = bundle.cgroup.map((c) =>
    take(`cgroup/${c.ts}/`, parseCgroupFiles(c.value, c.ts)),
  );
  if (cgroups.length === 0 && metrics) cgroups = metrics.cgroup;
  let vmstats: VmstatSnapshot[] = bundle.proc.flatMap((p) =>
    p.value['vmstat'] === undefined
      ? []
      : [take(`proc/${p.ts}/vmstat`, parseVmstat(p.value['vmstat'], p.ts))],
  );
  if (vmstats.length === 0 && metrics) vmstats = metrics.vmstat;
  let psis: PsiReading[] = bundle.proc.flatMap((p) =>
    p.value['pressure-memory'] === undefined
      ? []
      : [take(`proc/${p.ts}/pressure-memory`, parsePsi(p.value['pressure-memory'], p.ts))],
  );
  if (psis.length === 0 && metrics) psis = metrics.psi;
  const statuses = bundle.proc.flatMap((p) =>
    p.value['status'] === undefined
      ? []
      : [take(`proc/${p.ts}/status`, parseProcStatus(p.value['status'], p.ts))],
  );
  const nmts = bundle.nmt.map((n) => take(`nmt/${n.ts}.txt`, parseNmtSummary(n.value, n.ts)));
  const jvmGc = bundle.jvmGcLog ? take('jvm-gc.log', parseJvmGcLog(bundle.jvmGcLog)) : undefined;
  const dmesg = bundle.dmesg ? take('dmesg.txt', parseDmesg(bundle.dmesg)) : undefined;

  const meta = bundle.meta ?? {};
  const limitBytes =
    cgroupLimit(cgroups) ?? (typeof meta.cgroupLimitBytes === 'number' ? meta.cgroupLimitBytes : undefined);
  const lastTs = Math.max(
    0,
    ...memstats.map((m) => m.ts ?? 0),
    ...bundle.cgroup.map((c) => c.ts),
    ...bundle.proc.map((p) => p.ts),
  );
  const ctx: DeriveContext = {
    ...(limitBytes !== undefined ? { limitBytes } : {}),
    ...(typeof meta.startUnixMs === 'number' ? { startMs: meta.startUnixMs } : {}),
    ...(typeof meta.endUnixMs === 'number' ? { endMs: meta.endUnixMs } : lastTs > 0 ? { endMs: lastTs } : {}),
  };

  const firstTs = Math.min(
    ...memstats.map((m) => m.ts ?? Infinity),
    ...bundle.cgroup.map((c) => c.ts),
    ...bundle.proc.map((p) => p.ts),
  );
  const windowStart = ctx.startMs ?? (Number.isFinite(firstTs) ? firstTs : undefined);
  if (windowStart !== undefined && ctx.endMs !== undefined && ctx.endMs > windowStart) {
    out.put('signal.windowSeconds', (ctx.endMs - windowStart) / 1000);
  }

  const kind = detectRuntime(meta, {
    go: memstats.length > 0 || gctrace !== undefined || latest !== undefined,
    jvm: nmts.length > 0 || jvmGc !== undefined || (metrics?.jvm.length ?? 0) > 0,
  });
  out.put('runtime.kind', kind);
  const memLimit = goMemoryLimit(meta, memstats);
  if (memLimit !== undefined) {
    out.put('runtime.goMemoryLimitSet', memLimit.set);
    if (memLimit.set) {
      out.put('runtime.goMemoryLimitBytes', memLimit.bytes);
      out.put('runtime.goMemoryLimitToLimitRatio', ratio(memLimit.bytes, ctx.limitBytes));
    }
  }

  deriveMemstats(memstats, ctx, out);
  if (gctrace) deriveGctrace(gctrace, ctx, out);
  // First against last readable profile: an unreadable one in the series is skipped, not compared.
  const growth = growthOverSeries(profiles);
  if (latest !== undefined || profiles.length > 0) derivePprof(latest, growth, profiles.length, out);
  deriveCgroup(cgroups, ctx, out);
  deriveVmstat(vmstats, out);
  derivePsi(psis, out);
  deriveProcess(statuses, memstats, ctx, out);
  deriveNmt(nmts, statuses, ctx, out);
  if (nmts.length === 0 && metrics) deriveJvmMetrics(metrics.jvm, ctx, out);
  if (jvmGc) deriveJvmGc(jvmGc, ctx, out);
  if (dmesg) deriveKernel(dmesg, out);
  deriveSignals(
    {
      memstats,
      ...(gctrace ? { gctrace } : {}),
      profiles,
      profileTimes: bundle.profiles.map((p) => p.ts),
      cgroups,
      statuses,
      nmts,
      goroutineCounts: bundle.goroutinesJsonl
        ? take('goroutines.jsonl', parseGoroutineCounts(bundle.goroutinesJsonl))
        : [],
      cgroupIoPsi: psiFiles(bundle.cgroup, 'io.pressure', 'cgroup'),
      hostIoPsi: psiFiles(bundle.proc, 'pressure-io', 'proc'),
    },
    ctx,
    out,
  );
  if (bundle.alert !== undefined) deriveAlert(bundle.alert, out);
  const hasRuntimeData =
    memstats.length > 0 ||
    gctrace !== undefined ||
    latest !== undefined ||
    metrics !== undefined ||
    nmts.length > 0;
  deriveAcquisition(
    bundle,
    hasRuntimeData,
    out,
    !hasRuntimeData &&
      bundle.cgroup.length === 0 &&
      bundle.proc.length === 0 &&
      Object.keys(bundle.attachedFacts ?? {}).length === 0,
  );

  const absent: [boolean, Parameters<FactSetBuilder['missing']>[0], string][] = [
    [
      kind === 'go' && memstats.length === 0,
      'memstats',
      'no memstats.jsonl or heap.txt: collect /debug/vars',
    ],
    [kind === 'go' && !gctrace, 'gctrace', 'no gctrace.log: run with GODEBUG=gctrace=1'],
    [kind === 'go' && latest === undefined, 'pprof', 'no heap profile: collect /debug/pprof/heap'],
    [
      kind === 'jvm' && nmts.length === 0,
      'jvm',
      'no NMT summaries: start with -XX:NativeMemoryTracking=summary',
    ],
    [cgroups.length === 0, 'cgroup', 'no cgroup/ readings: collect the container memory cgroup files'],
    [vmstats.length === 0, 'vmstat', 'no proc/<ts>/vmstat readings'],
    [psis.length === 0, 'psi', 'no proc/<ts>/pressure-memory readings'],
    [statuses.length === 0, 'process', 'no proc/<ts>/status readings'],
  ];
  for (const [isMissing, source, reason] of absent) if (isMissing) out.missing(source, reason);
  if (bundle.unknownEntries.length > 0) {
    out.warn('.', [
      { message: `not part of the bundle layout, ignored: ${bundle.unknownEntries.join(', ')}` },
    ]);
  }
  const facts = out.build();
  if (bundle.attachedFacts) overlayAttachedFacts(facts, bundle.attachedFacts);
  return facts;
}
