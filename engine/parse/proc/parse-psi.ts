import { isOverlong, overlongLine } from '../line-cap.js';
import type { ParseResult, ParseWarning } from '../types.js';
import { clip, pushWarning } from './parse-flat-keyed.js';
import type { PsiLine, PsiSnapshot } from './types.js';

const LINE = /^(some|full)\s+(.*)$/;
const PAIR = /^(avg10|avg60|avg300|total)=(\d+(?:\.\d+)?)$/;

/**
 * Parse PSI text: /proc/pressure/memory or a cgroup's memory.pressure
 * (kernel Documentation/accounting/psi.rst):
 *   some avg10=0.00 avg60=0.00 avg300=0.00 total=0
 *   full avg10=1.23 avg60=0.40 avg300=0.10 total=4824311
 * avg* are percentages over 10/60/300 s windows; total is cumulative stall time in µs.
 * Memory has printed both lines since PSI appeared (4.20); `full` is only missing from
 * /proc/pressure/cpu before 5.13, so a missing `full` is accepted without a warning.
 * Whether the file exists at all is the caller's concern (absent or EOPNOTSUPP = PSI off).
 */
export function parsePsi(text: string, ts?: number): ParseResult<PsiSnapshot> {
  const value: PsiSnapshot = ts === undefined ? {} : { ts };
  const warnings: ParseWarning[] = [];
  text.split('\n').forEach((raw, i) => {
    if (isOverlong(raw)) {
      pushWarning(warnings, overlongLine(i + 1, raw.length), 'PSI');
      return;
    }
    const line = raw.trim();
    if (line === '') return;
    const m = LINE.exec(line);
    if (!m) {
      pushWarning(warnings, { line: i + 1, message: `PSI: unrecognised line "${clip(line)}"` }, 'PSI');
      return;
    }
    const kind = m[1] as 'some' | 'full';
    const parsed = parseFields(m[2] as string);
    if (typeof parsed === 'string') {
      pushWarning(warnings, { line: i + 1, message: `PSI: "${kind}" line ${parsed}` }, 'PSI');
      return;
    }
    if (value[kind])
      pushWarning(
        warnings,
        { line: i + 1, message: `PSI: "${kind}" line repeated; the later one is kept` },
        'PSI',
      );
    value[kind] = parsed;
  });
  if (!value.some && !value.full) warnings.push({ message: 'PSI: no "some" or "full" line found' });
  return { value, warnings };
}

/** Read `avg10=… avg60=… avg300=… total=…`; returns an error text when a field is bad or missing. */
function parseFields(rest: string): PsiLine | string {
  const fields: Record<string, number> = {};
  for (const token of rest.split(/\s+/)) {
    const m = PAIR.exec(token);
    if (!m) return `has an unreadable field "${clip(token, 30)}"`;
    fields[m[1] as string] = Number(m[2]);
  }
  const { avg10, avg60, avg300, total } = fields;
  if (avg10 === undefined || avg60 === undefined || avg300 === undefined || total === undefined) {
    return 'lacks one of avg10, avg60, avg300, total';
  }
  if (!Number.isSafeInteger(total)) return `has a total that is not a safe integer`;
  return { avg10, avg60, avg300, totalMicros: total };
}
