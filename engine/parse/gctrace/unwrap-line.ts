/**
 * Log-collector wrappers around a container's stderr, so that gctrace read from a node's log
 * files (or a log pipeline's export) parses like the raw stream.
 */

/** A line in the CRI log format, as the kubelet's container runtime writes it. */
export interface CriLine {
  stream: string;
  /** `P` (partial: the runtime split a long line; the next pieces continue it) rather than `F` (full). */
  partial: boolean;
  /** Offset of the content after `<time> <stream> <tag> `. */
  contentStart: number;
}

const SPACE = 0x20;

function matches(b: Uint8Array, at: number, s: string): boolean {
  for (let k = 0; k < s.length; k++) if (b[at + k] !== s.charCodeAt(k)) return false;
  return true;
}

/**
 * `2026-11-25T10:00:00.123456789Z stderr F gc 12 @…`: RFC 3339 time, stream, tag, content
 * (kubernetes/cri-api, "CRI logging format"; the tag is `P` or `F`, optionally followed by
 * `:`-separated flags). Returns undefined for anything else.
 */
export function parseCriPrefix(b: Uint8Array, start: number, end: number): CriLine | undefined {
  // The time is `YYYY-MM-DDT…`: check the shape cheaply before looking further.
  if (end - start < 20 || b[start + 4] !== 0x2d || b[start + 10] !== 0x54) return undefined;
  let i = start + 11;
  while (i < end && b[i] !== SPACE) i++;
  i++;
  let stream: string;
  if (matches(b, i, 'stderr ')) stream = 'stderr';
  else if (matches(b, i, 'stdout ')) stream = 'stdout';
  else return undefined;
  i += 7;
  const tag = b[i];
  if (tag !== 0x46 && tag !== 0x50) return undefined;
  i++;
  while (i < end && b[i] === 0x3a) {
    i++;
    while (i < end && b[i] !== SPACE && b[i] !== 0x3a) i++;
  }
  if (i < end && b[i] !== SPACE) return undefined;
  return { stream, partial: tag === 0x50, contentStart: Math.min(end, i + 1) };
}

/** The message of a JSON log line, and whether a docker json-file entry is only part of a line. */
export interface JsonLogMessage {
  text: string;
  stream: string;
  partial: boolean;
}

/**
 * Docker's json-file driver writes `{"log":"gc 12 @…\n","stream":"stderr","time":"…"}`, and a line
 * longer than 16 KiB is split into entries whose `log` does not end in `\n` (moby/moby:
 * daemon/logger/jsonfilelog). Log pipelines (Fluent Bit, Vector, Loki exports) and structured
 * loggers put the line in `log`, `msg` or `message`. Returns undefined when the text is not JSON
 * (a truncated line, say), and null for a JSON value without one of those string fields.
 */
export function parseJsonLogLine(text: string): JsonLogMessage | null | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const rec = value as Record<string, unknown>;
  const stream = typeof rec['stream'] === 'string' ? rec['stream'] : '';
  if (typeof rec['log'] === 'string') {
    const log = rec['log'];
    const partial = !log.endsWith('\n');
    return { text: partial ? log : log.slice(0, -1), stream, partial };
  }
  for (const key of ['msg', 'message']) {
    const v = rec[key];
    if (typeof v === 'string') return { text: v.replace(/\r?\n$/, ''), stream, partial: false };
  }
  return null;
}
