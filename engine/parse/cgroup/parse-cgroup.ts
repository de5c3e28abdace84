import { parseFlatKeyed } from '../proc/parse-flat-keyed.js';
import { parsePsi } from '../proc/parse-psi.js';
import type { ParseResult, ParseWarning } from '../types.js';
import { readSingleValue } from './cgroup-values.js';
import { cgroupVersionFromStatKeys, parseCgroupStat } from './parse-cgroup-stat.js';
import type { CgroupSnapshot } from './types.js';

/** Files only the v1 memory controller has (cgroup-v1/memory.rst §2.x). */
const V1_FILES = [
  'memory.usage_in_bytes',
  'memory.limit_in_bytes',
  'memory.max_usage_in_bytes',
  'memory.failcnt',
  'memory.oom_control',
];
/** Files only the v2 memory controller has (cgroup-v2.rst "Memory Interface Files"). */
const V2_FILES = [
  'memory.current',
  'memory.max',
  'memory.high',
  'memory.low',
  'memory.min',
  'memory.peak',
  'memory.events',
];

/**
 * Parse one reading of a memory cgroup folder: file name → raw text, as found in a bundle's
 * `cgroup/<ts>/` or read live by readCgroupDir. The version comes from which files exist:
 * memory.pressure alone proves nothing, because hybrid hosts (v1 memory controller plus the v2
 * hierarchy, like the captured bundles) report the workload's PSI from the v2 side.
 * Never throws: unreadable files become warnings naming the file and line.
 */
export function parseCgroupFiles(files: Record<string, string>, ts?: number): ParseResult<CgroupSnapshot> {
  const warnings: ParseWarning[] = [];
  const version = detectVersion(files, warnings);
  const value: CgroupSnapshot = { version, stat: {}, rawStat: {} };
  if (ts !== undefined) value.ts = ts;
  const take = <T>(read: { value?: T; warnings: ParseWarning[] }): T | undefined => {
    warnings.push(...read.warnings);
    return read.value;
  };
  const num = (file: string): number | undefined => {
    const text = files[file];
    return text === undefined ? undefined : take(readSingleValue(text, file));
  };
  const limit = (file: string): number | null | undefined => {
    const text = files[file];
    return text === undefined ? undefined : take(readSingleValue(text, file, true));
  };
  const assign = <K extends keyof CgroupSnapshot>(key: K, v: CgroupSnapshot[K] | undefined): void => {
    if (v !== undefined) value[key] = v;
  };

  if (version === 1) {
    assign('usageBytes', num('memory.usage_in_bytes'));
    assign('limitBytes', limit('memory.limit_in_bytes'));
    assign('peakBytes', num('memory.max_usage_in_bytes'));
    assign('failcnt', num('memory.failcnt'));
    const oom = files['memory.oom_control'];
    if (oom !== undefined) readOomControl(oom, value, warnings);
  } else {
    assign('usageBytes', num('memory.current'));
    assign('limitBytes', limit('memory.max'));
    assign('highBytes', limit('memory.high'));
    assign('lowBytes', protection('memory.low', limit('memory.low'), warnings));
    assign('minBytes', protection('memory.min', limit('memory.min'), warnings));
    assign('peakBytes', num('memory.peak'));
    assign('swapBytes', num('memory.swap.current'));
    const events = files['memory.events'];
    if (events !== undefined) {
      const flat = parseFlatKeyed(events, 'memory.events');
      warnings.push(...flat.warnings);
      value.events = flat.values;
      if (flat.values.oom_kill !== undefined) value.oomKills = flat.values.oom_kill;
    }
  }

  const statText = files['memory.stat'];
  if (statText !== undefined) {
    const stat = parseCgroupStat(statText, version);
    warnings.push(...stat.warnings);
    value.stat = stat.value.stat;
    value.rawStat = stat.value.raw;
    if (Object.keys(stat.value.oversized).length > 0) value.rawStatOversized = stat.value.oversized;
    assign('hierarchicalLimitBytes', stat.value.hierarchicalLimitBytes);
    // v1 prints the group's swapped-out memory in memory.stat (total_swap for the subtree).
    if (version === 1) assign('swapBytes', stat.value.raw['total_swap'] ?? stat.value.raw['swap']);
  }

  const pressure = files['memory.pressure'];
  if (pressure !== undefined) {
    const psi = parsePsi(pressure, ts);
    warnings.push(...psi.warnings.map((w) => ({ ...w, message: `memory.pressure: ${w.message}` })));
    if (psi.value.some || psi.value.full) value.pressure = psi.value;
  }
  return { value, warnings };
}

/**
 * v1 memory.oom_control: `oom_kill_disable 0` / `under_oom 0` / `oom_kill N` (the last since
 * ~4.13: processes in this cgroup killed by any OOM killer).
 */
function readOomControl(text: string, value: CgroupSnapshot, warnings: ParseWarning[]): void {
  const flat = parseFlatKeyed(text, 'memory.oom_control');
  warnings.push(...flat.warnings);
  const { oom_kill_disable: disable, under_oom: under, oom_kill: kills } = flat.values;
  if (kills !== undefined) value.oomKills = kills;
  if (under !== undefined) value.underOom = under !== 0;
  if (disable !== undefined) value.oomKillDisable = disable !== 0;
  if (kills === undefined && under === undefined && disable === undefined) {
    warnings.push({ message: 'memory.oom_control: none of oom_kill_disable, under_oom, oom_kill found' });
  }
}

/** memory.low/min accept "max" too, but the contract has no "unlimited" for them: warn and drop. */
function protection(
  file: string,
  v: number | null | undefined,
  warnings: ParseWarning[],
): number | undefined {
  if (v === null) {
    warnings.push({ message: `${file}: "max" (full protection) cannot be represented; left out` });
    return undefined;
  }
  return v;
}

function detectVersion(files: Record<string, string>, warnings: ParseWarning[]): 1 | 2 {
  const v1 = V1_FILES.some((f) => f in files);
  const v2 = V2_FILES.some((f) => f in files);
  if (v1 && v2) {
    const pick = 'memory.usage_in_bytes' in files ? 1 : 2;
    warnings.push({ message: `cgroup: both v1 and v2 memory files present; reading as v${pick}` });
    return pick;
  }
  if (v1) return 1;
  if (v2) return 2;
  const stat = files['memory.stat'];
  const guessed = stat === undefined ? undefined : cgroupVersionFromStatKeys(statKeys(stat));
  if (guessed !== undefined) {
    warnings.push({
      message: `cgroup: no usage or limit file; version ${guessed} guessed from memory.stat keys`,
    });
    return guessed;
  }
  warnings.push({
    message:
      'cgroup: no memory controller files found (memory.usage_in_bytes or memory.current); version unknown, assuming 2',
  });
  return 2;
}

function statKeys(text: string): string[] {
  const flat = parseFlatKeyed(text, 'memory.stat');
  return [...Object.keys(flat.values), ...Object.keys(flat.oversized)];
}
