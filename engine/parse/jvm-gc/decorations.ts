/**
 * Decorations of a JVM unified-logging line (JEP 158, `-Xlog:gc:<output>:<decorators>`): the
 * leading `[…]` groups. The default set is `[uptime][level][tags]` (`[2.196s][info][gc]`); others
 * are `time`/`utctime` (`[2026-11-25T10:00:00.123+0000]`), `uptimemillis` (`[2196ms]`),
 * `timemillis`, `uptimenanos`, `timenanos`, `pid`, `tid`. The JVM pads some groups with spaces
 * (`[info ][gc,start    ]`), so each group is trimmed.
 */
export interface Decorations {
  uptimeSeconds?: number;
  /** Wall clock from `time`/`utctime`/`timemillis`/`timenanos`, unix ms. */
  timeUnixMs?: number;
  level?: string;
  /** Tag set as printed (`gc`, `gc,start`, `gc,heap`). */
  tags?: string;
  /** Offset of the message after the decorations. */
  messageStart: number;
}

const LEVELS = new Set(['trace', 'debug', 'info', 'warning', 'error']);
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?$/;
/** Epoch values are far above any uptime: 1e11 ms is 1973, 3 years of uptime is 1e11 ms. */
const EPOCH_MS_FLOOR = 1e11;

function isoToUnixMs(text: string): number | undefined {
  // Java prints `+0000`; Date.parse wants `+00:00`.
  const ms = Date.parse(text.replace(',', '.').replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isFinite(ms) ? ms : undefined;
}

export function parseDecorations(line: string): Decorations {
  const out: Decorations = { messageStart: 0 };
  let i = 0;
  while (line.charCodeAt(i) === 0x5b /* [ */) {
    const close = line.indexOf(']', i + 1);
    if (close === -1) break;
    const group = line.slice(i + 1, close).trim();
    let m: RegExpExecArray | null;
    if (ISO_TIME.test(group)) out.timeUnixMs = isoToUnixMs(group);
    else if ((m = /^(\d+(?:[.,]\d+)?)s$/.exec(group))) out.uptimeSeconds = Number(m[1]!.replace(',', '.'));
    else if ((m = /^(\d+)ms$/.exec(group))) {
      const ms = Number(m[1]);
      if (ms < EPOCH_MS_FLOOR) out.uptimeSeconds = ms / 1000;
      else out.timeUnixMs = ms;
    } else if ((m = /^(\d+)ns$/.exec(group))) {
      const ns = Number(m[1]);
      if (ns < EPOCH_MS_FLOOR * 1e6) out.uptimeSeconds = ns / 1e9;
      else out.timeUnixMs = ns / 1e6;
    } else if (LEVELS.has(group)) out.level = group;
    else if (/^[a-z][a-z0-9_]*(?:,[a-z0-9_]+)*$/.test(group)) out.tags = group;
    else if (!/^\d+$/.test(group)) break; // pid/tid are plain numbers; anything else is message text
    i = close + 1;
    while (line.charCodeAt(i) === 0x20) i++;
    out.messageStart = i;
  }
  return out;
}
