import { isOverlong, overlongLine } from '../line-cap.js';
import type { ParseResult, ParseWarning } from '../types.js';
import { clip, pushWarning } from './parse-flat-keyed.js';
import type { ProcStatus } from './types.js';

type SizeField =
  | 'vmRssBytes'
  | 'vmHwmBytes'
  | 'vmSizeBytes'
  | 'rssAnonBytes'
  | 'rssFileBytes'
  | 'rssShmemBytes'
  | 'vmSwapBytes';

/** /proc/<pid>/status keys printed in kB by the kernel (fs/proc/task_mmu.c task_mem). */
const SIZES: Record<string, SizeField> = {
  VmRSS: 'vmRssBytes',
  VmHWM: 'vmHwmBytes',
  VmSize: 'vmSizeBytes',
  RssAnon: 'rssAnonBytes',
  RssFile: 'rssFileBytes',
  RssShmem: 'rssShmemBytes',
  VmSwap: 'vmSwapBytes',
};

const KB = /^(\d+)\s+kB$/;
const INT = /^\d+$/;

/**
 * Parse the memory lines of /proc/<pid>/status (`Key:\tvalue`, fs/proc/array.c). The kernel's
 * "kB" is KiB, so sizes are multiplied by 1024. Kernel threads have no Vm* lines; they stay
 * absent. Lines we do not use are skipped unread, but a line without a colon is reported.
 */
export function parseProcStatus(text: string, ts?: number): ParseResult<ProcStatus> {
  const value: ProcStatus = ts === undefined ? {} : { ts };
  const warnings: ParseWarning[] = [];
  let seen = 0;
  text.split('\n').forEach((raw, i) => {
    if (isOverlong(raw)) {
      pushWarning(warnings, overlongLine(i + 1, raw.length), 'status');
      return;
    }
    if (raw.trim() === '') return;
    const colon = raw.indexOf(':');
    if (colon <= 0) {
      pushWarning(
        warnings,
        { line: i + 1, message: `status: cannot read "${clip(raw.trim())}" as "Key: value"` },
        'status',
      );
      return;
    }
    seen++;
    const key = raw.slice(0, colon);
    const rest = raw.slice(colon + 1).trim();
    const bad = (what: string): void => {
      pushWarning(
        warnings,
        { line: i + 1, message: `status: ${key} is not ${what}: "${clip(rest, 30)}"` },
        'status',
      );
    };
    const sizeField = SIZES[key];
    if (sizeField) {
      const m = KB.exec(rest);
      if (m) value[sizeField] = Number(m[1]) * 1024;
      else bad('a size in kB');
    } else if (key === 'Name') {
      // task_name escapes '\n' and '\\' itself; the name is kept as printed.
      value.name = raw.slice(colon + 1).replace(/^\t/, '');
    } else if (key === 'Pid' || key === 'Threads') {
      if (INT.test(rest)) value[key === 'Pid' ? 'pid' : 'threads'] = Number(rest);
      else bad('an integer');
    }
  });
  if (seen === 0) warnings.push({ message: 'status: no "Key: value" lines found' });
  return { value, warnings };
}
