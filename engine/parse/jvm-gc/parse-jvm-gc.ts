import { isOverlong, overlongLine } from '../line-cap.js';
import type { ParseResult, ParseWarning } from '../types.js';
import { parseDecorations } from './decorations.js';
import type { JvmGcEvent, JvmGcLog } from './types.js';

/**
 * One collection in `-Xlog:gc` output (HotSpot unified logging, JDK 9+): `GC(<id>) <kind>
 * <causes> [<before>-><after>[(<committed>)]] [<duration>]`, as printed by GCTraceTime and
 * the collectors' summaries (openjdk/jdk: src/hotspot/share/gc/shared/gcTraceTime.cpp):
 *
 *   GC(9) Pause Young (Normal) (G1 Evacuation Pause) 23M->5M(32M) 3.012ms        G1
 *   GC(3) Pause Young (Allocation Failure) 57M->29M(72M) 2.113ms                 Parallel, Serial
 *   GC(5) Pause Full (System.gc()) 10M->5M(64M) 20.100ms
 *   GC(14) Concurrent Mark Cycle 28.818ms                                        G1 (JDK 11: Concurrent Cycle)
 *   GC(3) Garbage Collection (Allocation Rate) 180M(9%)->96M(5%)                 ZGC (JDK 15–20)
 *   GC(4) Minor Collection (Allocation Rate) 14M(1%)->8M(0%) 0.011s             generational ZGC (JDK 21)
 *
 * Sizes use K/M/G (binary units, `byte_size_in_proper_unit`); a percentage after a size (ZGC)
 * is the share of the max heap and is dropped.
 */
const SIZE = String.raw`(\d+(?:\.\d+)?)([BKMGT])(?:\(\d+(?:\.\d+)?%\))?`;
const CAUSE = String.raw`\((?:[^()]|\([^()]*\))*\)`;
/**
 * The kind is words of letters separated by single spaces. It used to be `[A-Za-z][A-Za-z ]*?`,
 * whose lazy run of blanks competes with the closing `\s*$`: a 150 KB line of blanks took 26 s
 * to be refused. Every quantifier here now ends where the next one cannot start, so a failing
 * match is linear in the line.
 */
const EVENT = new RegExp(
  String.raw`^GC\((\d+)\) ([A-Za-z]+(?: [A-Za-z]+)*)((?: ${CAUSE})*)` +
    String.raw`(?: ${SIZE}->${SIZE}(?:\((\d+(?:\.\d+)?)([BKMGT])\))?)?(?: (\d+(?:\.\d+)?)(ms|s))?\s*$`,
);
/** `GC(12) Eden regions: 1->0(2)`, `GC(3) Y: Young Generation …`: detail lines of `-Xlog:gc*`. */
const DETAIL = /^GC\(\d+\) [A-Za-z][\w ]*:/;
/** Event kinds trusted in a log without tag decorations (where -Xlog:gc* phase lines look alike). */
const CYCLE_KIND =
  /^(?:Pause |Concurrent (?:Mark |Undo )?Cycle$|Garbage Collection$|(?:Minor|Major) Collection$)/;

const UNIT: Record<string, number> = { B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

function bytes(value: string | undefined, unit: string | undefined): number | undefined {
  if (value === undefined || unit === undefined) return undefined;
  return Math.round(Number(value) * UNIT[unit]!);
}

/**
 * Parses a JVM unified GC log (`-Xlog:gc`, and tolerates the extra lines of `-Xlog:gc*`): one
 * event per collection (start lines of concurrent cycles and phase details are not events),
 * plus the collector from `Using …`. A `GC(n)` line that does not parse gives a warning.
 */
export function parseJvmGcLog(text: string): ParseResult<JvmGcLog> {
  const events: JvmGcEvent[] = [];
  const warnings: ParseWarning[] = [];
  let collector: string | undefined;
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.replace(/\r$/, '');
    if (isOverlong(line)) {
      warnings.push(overlongLine(n + 1, line.length));
      continue;
    }
    const deco = parseDecorations(line);
    const msg = line.slice(deco.messageStart).trim();
    if (msg === '') continue;
    // `-Xlog:gc*` adds tags such as gc,start / gc,heap / gc,phases: only `[gc]` carries the summaries.
    if (deco.tags !== undefined && deco.tags !== 'gc') continue;
    const using = /^Using (.+)$/.exec(msg);
    if (using) {
      collector = using[1]!;
      continue;
    }
    if (!msg.startsWith('GC(')) continue;
    const m = EVENT.exec(msg);
    if (!m) {
      if (!DETAIL.test(msg))
        warnings.push({
          line: n + 1,
          message: `truncated or garbled GC event, skipped: ${msg.slice(0, 120)}`,
        });
      continue;
    }
    const kind = m[2]!;
    const hasSizes = m[4] !== undefined;
    const hasDuration = m[10] !== undefined;
    if (!hasSizes && !hasDuration) {
      // The start line of a concurrent cycle; a pause always ends with its sizes and time.
      if (kind.startsWith('Pause') && deco.tags === 'gc') {
        warnings.push({
          line: n + 1,
          message: `GC event without sizes or duration (cut?), skipped: ${msg.slice(0, 120)}`,
        });
      }
      continue;
    }
    if (deco.tags === undefined && !hasSizes && !CYCLE_KIND.test(kind)) continue;
    const event: JvmGcEvent = { line: n + 1, gcId: Number(m[1]), kind };
    if (deco.uptimeSeconds !== undefined) event.uptimeSeconds = deco.uptimeSeconds;
    if (deco.timeUnixMs !== undefined) event.timeUnixMs = deco.timeUnixMs;
    const cause = m[3]!.trim();
    if (cause !== '') event.cause = cause;
    if (hasSizes) {
      event.beforeBytes = bytes(m[4], m[5]);
      event.afterBytes = bytes(m[6], m[7]);
      const committed = bytes(m[8], m[9]);
      if (committed !== undefined) event.committedBytes = committed;
    }
    if (hasDuration) {
      const ms = Number(m[10]) * (m[11] === 's' ? 1000 : 1);
      if (kind.startsWith('Pause')) event.pauseMs = ms;
      else event.durationMs = ms;
    }
    events.push(event);
  }
  const value: JvmGcLog = { events };
  if (collector !== undefined) value.collector = collector;
  return { value, warnings };
}
