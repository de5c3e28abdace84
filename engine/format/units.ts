import type { FactUnit, FactValue } from '../facts/types.js';

const BINARY = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 1536 → "1.5 KiB". Binary units, as Go's runtime and the kernel count memory. */
export function formatBytes(bytes: number): string {
  const sign = bytes < 0 ? '-' : '';
  let v = Math.abs(bytes);
  let i = 0;
  while (v >= 1024 && i < BINARY.length - 1) {
    v /= 1024;
    i++;
  }
  const digits = i === 0 || v >= 100 ? 0 : 1;
  return `${sign}${v.toFixed(digits)} ${BINARY[i]}`;
}

/** Seconds → "250 ms", "42 s", "3m 20s", "2h 5m". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  if (Math.abs(seconds) < 1) return `${Math.round(seconds * 1000)} ms`;
  if (Math.abs(seconds) < 60) return `${trim(seconds, seconds < 10 ? 1 : 0)} s`;
  // Round to whole seconds first, so 839.6 s reads "14m 0s", not "13m 60s".
  const whole = Math.round(seconds);
  const m = Math.floor(whole / 60);
  if (m < 60) return `${m}m ${whole - m * 60}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${m - h * 60}m`;
}

/** 0.4231 → "42.3%". */
export function formatRatioAsPercent(ratio: number): string {
  return `${trim(ratio * 100, Math.abs(ratio) < 0.1 ? 2 : 1)}%`;
}

/** 1234567 → "1,234,567" (what toLocaleString('en-US') gives, without loading ICU's locale data: ~20 ms at start-up). */
function groupThousands(n: number): string {
  const digits = String(Math.abs(n));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? `-${out}` : out;
}

export function formatCount(n: number): string {
  if (Number.isSafeInteger(n)) return groupThousands(n);
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  return trim(n, Math.abs(n) < 10 ? 2 : 1);
}

/** A fact value in its unit, the way an engineer reads it. */
export function formatFactValue(value: FactValue, unit: FactUnit): string {
  if (typeof value !== 'number') return String(value);
  switch (unit) {
    case 'bytes':
      return formatBytes(value);
    case 'bytes/s':
      return `${formatBytes(value)}/s`;
    case 'count':
      return formatCount(value);
    case 'count/s':
      return `${formatCount(value)}/s`;
    case 'ratio':
      return formatRatioAsPercent(value);
    case 'percent':
      return `${trim(value, 2)}%`;
    case 'seconds':
      return formatDuration(value);
    case 'boolean':
    case 'string':
      return String(value);
    default: {
      const never: never = unit;
      return String(never);
    }
  }
}

function trim(n: number, digits: number): string {
  return String(Number(n.toFixed(digits)));
}
