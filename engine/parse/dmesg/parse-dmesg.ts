import { isOverlong, overlongLine } from '../line-cap.js';
import type { ParseResult, ParseWarning } from '../types.js';
import type { DmesgLog, OomKill } from './types.js';

/**
 * The lines of a kernel OOM-killer report that matter, as printed by torvalds/linux:
 * mm/oom_kill.c (`dump_header`, `dump_oom_summary`, `__oom_kill_process`) and mm/memcontrol.c
 * (`mem_cgroup_print_oom_meminfo`), kernel 4.19+:
 *
 *   catalogd invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0
 *   memory: usage 262144kB, limit 262144kB, failcnt 527787                 (memcg OOM only)
 *   oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,…,task=catalogd,pid=11302,uid=0
 *   Memory cgroup out of memory: Killed process 11302 (catalogd) total-vm:1296440kB, anon-rss:…
 *
 * A global OOM says `Out of memory: Killed process …`. Kernels before 4.19 print
 * `Memory cgroup out of memory: Kill process N (name) score S or sacrifice child` and then a bare
 * `Killed process N (name) total-vm:…` line, and have no `oom-kill:` line.
 */
const INVOKED = / invoked oom-killer:/;
const MEMCG_USAGE = /^memory: usage (\d+)kB, limit (\d+)kB, failcnt (\d+)/;
const KILLED =
  /^(?:(Memory cgroup out of memory|Out of memory)(?: \([^)]*\))?: )?Killed process (\d+) \((.*?)\)(?=[ ,]|$)(.*)$/;
const OLD_KILL = /^(Memory cgroup out of memory|Out of memory)(?: \([^)]*\))?: Kill process \d+ /;
/** cgroup v1 kernels before 4.19: `Task in /x killed as a result of limit of /x`. */
const OLD_MEMCG_TASK = /^Task in (\S+) killed as a result of limit of (\S+)/;
const KB = 1024;

/**
 * Removes what precedes the kernel message: a `<3>` priority, a syslog/journal prefix ending in
 * `kernel: `, `dmesg -x` facility/level, `dmesg -T` or `[ 4571.136649]` timestamps, and a
 * `[T1234]` caller id.
 */
function kernelMessage(line: string): { text: string; seconds?: number } {
  let text = line.replace(/^<\d+>/, '');
  const k = text.indexOf('kernel: ');
  if (k !== -1 && k < 80) text = text.slice(k + 8);
  text = text.replace(/^(?:kern|user|daemon|syslog)\s*:\s*\w+\s*: /, '');
  let seconds: number | undefined;
  const ts = /^\[\s*(\d+\.\d+)\]\s?/.exec(text);
  if (ts) {
    seconds = Number(ts[1]);
    text = text.slice(ts[0].length);
  } else text = text.replace(/^\[[A-Z][a-z]{2} [^\]]*\]\s?/, '');
  text = text.replace(/^\[\s*[TC]\d+\]\s?/, '');
  return seconds === undefined ? { text } : { text, seconds };
}

interface Report {
  line: number;
  invokedBy?: string;
  usage?: [number, number, number];
  fields?: Map<string, string>;
  /** true/false from an older kernel's `… out of memory: Kill process` or `Task in` line. */
  memcg?: boolean;
}

function keyValues(list: string, sep: RegExp): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of list.split(sep)) {
    const m = /^\s*([\w-]+)[=:](.*)$/.exec(part);
    if (m) out.set(m[1]!, m[2]!.trim());
  }
  return out;
}

function kbToBytes(v: string | undefined): number | undefined {
  const m = v === undefined ? null : /^(\d+)kB$/.exec(v);
  return m ? Number(m[1]) * KB : undefined;
}

/**
 * Finds every OOM kill in kernel log text (`dmesg`, `journalctl -k`, syslog), with the
 * surrounding report's memcg usage/limit and cgroups when present. Unrelated lines are ignored;
 * a report without its `Killed process` line (cut log) gives a warning.
 */
export function parseDmesg(text: string): ParseResult<DmesgLog> {
  const kills: OomKill[] = [];
  const warnings: ParseWarning[] = [];
  let report: Report | undefined;
  const unfinished = (r: Report) =>
    warnings.push({ line: r.line, message: 'OOM-killer report without a `Killed process` line (log cut?)' });

  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    if (isOverlong(lines[n]!)) {
      warnings.push(overlongLine(n + 1, lines[n]!.length));
      continue;
    }
    const { text: msg, seconds } = kernelMessage(lines[n]!.replace(/\r$/, ''));
    const inv = INVOKED.exec(msg);
    if (inv) {
      if (report) unfinished(report);
      report = { line: n + 1, invokedBy: msg.slice(0, inv.index) };
      continue;
    }
    if (!report && !msg.includes('Killed process') && !OLD_KILL.test(msg)) continue;
    let m: RegExpExecArray | null;
    if (report && (m = MEMCG_USAGE.exec(msg))) {
      report.usage ??= [Number(m[1]) * KB, Number(m[2]) * KB, Number(m[3])];
    } else if (report && msg.startsWith('oom-kill:')) {
      report.fields = keyValues(msg.slice('oom-kill:'.length), /,/);
    } else if ((m = OLD_KILL.exec(msg))) {
      report ??= { line: n + 1 };
      report.memcg = m[1] === 'Memory cgroup out of memory';
    } else if (report && OLD_MEMCG_TASK.test(msg)) {
      report.memcg = true;
    } else if ((m = KILLED.exec(msg))) {
      kills.push(toKill(m, n + 1, seconds, report, warnings));
      report = undefined;
    } else if (msg.includes('Killed process')) {
      warnings.push({
        line: n + 1,
        message: `garbled \`Killed process\` line, skipped: ${msg.slice(0, 120)}`,
      });
      report = undefined;
    }
  }
  if (report) unfinished(report);
  return { value: { kills }, warnings };
}

function toKill(
  m: RegExpExecArray,
  line: number,
  seconds: number | undefined,
  report: Report | undefined,
  warnings: ParseWarning[],
): OomKill {
  const fields = report?.fields;
  const constraint = fields?.get('constraint');
  const memcg =
    m[1] !== undefined
      ? m[1] === 'Memory cgroup out of memory'
      : constraint !== undefined
        ? constraint === 'CONSTRAINT_MEMCG'
        : (report?.memcg ?? report?.usage !== undefined);
  const kill: OomKill = { line, memcg, pid: Number(m[2]), processName: m[3]! };
  // A blank run splits only where it starts (the lookbehind): `\s+(?=…)` alone retries the
  // lookahead from every blank of a run, quadratic in a long run of blanks.
  const kv = keyValues(m[4]!, /,\s*|(?<!\s)\s+(?=[\w-]+:)/);
  const set = <K extends keyof OomKill>(key: K, value: OomKill[K] | undefined) => {
    if (value !== undefined) kill[key] = value;
  };
  set('totalVmBytes', kbToBytes(kv.get('total-vm')));
  set('anonRssBytes', kbToBytes(kv.get('anon-rss')));
  set('fileRssBytes', kbToBytes(kv.get('file-rss')));
  set('shmemRssBytes', kbToBytes(kv.get('shmem-rss')));
  const adj = kv.get('oom_score_adj');
  set('oomScoreAdj', adj !== undefined && /^-?\d+$/.test(adj) ? Number(adj) : undefined);
  set('invokedBy', report?.invokedBy);
  set('oomMemcg', fields?.get('oom_memcg'));
  set('taskMemcg', fields?.get('task_memcg'));
  set('constraint', constraint);
  set('memcgUsageBytes', report?.usage?.[0]);
  set('memcgLimitBytes', report?.usage?.[1]);
  set('memcgFailcnt', report?.usage?.[2]);
  set('kernelTimeSeconds', seconds);
  if (kill.totalVmBytes === undefined || kill.anonRssBytes === undefined) {
    warnings.push({
      line,
      message: '`Killed process` line without total-vm/anon-rss (cut?); kept what was there',
    });
  }
  const taskPid = fields?.get('pid');
  if (taskPid !== undefined && Number(taskPid) !== kill.pid) {
    warnings.push({ line, message: `oom-kill line names pid ${taskPid} but process ${kill.pid} was killed` });
  }
  return kill;
}
