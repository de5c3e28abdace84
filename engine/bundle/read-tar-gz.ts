import { gunzipSync } from 'node:zlib';
import { BundleError } from '../errors.js';

/** Regular files of an archive by their path inside it (directories are implied by the paths). */
export type ArchiveFiles = Map<string, Uint8Array>;

/** A bundle archive is evidence, not a backup: its unpacked size is capped like a bundle's files. */
export const MAX_ARCHIVE_BYTES = 512 * 1024 * 1024;
const MAX_ARCHIVE_ENTRIES = 200_000;

/**
 * Reads a gzip'd tar archive (POSIX ustar, with GNU long names and pax `path` records, as GNU tar,
 * bsdtar and the web page's "download the raw bundle" write them) into memory. Only regular files
 * are kept; links, devices and FIFOs are skipped, and no path ever reaches the filesystem, so `..` in
 * a name cannot escape anything. Throws BundleError for a corrupt or oversized archive.
 */
export function readTarGz(gz: Uint8Array, name: string): ArchiveFiles {
  let tar: Buffer;
  try {
    tar = gunzipSync(gz, { maxOutputLength: MAX_ARCHIVE_BYTES });
  } catch (cause) {
    throw new BundleError(name, `not a readable .tar.gz: ${(cause as Error).message}`, { cause });
  }
  const files: ArchiveFiles = new Map();
  let offset = 0;
  let longName: string | undefined;
  let entries = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break; // end-of-archive marker
    if (++entries > MAX_ARCHIVE_ENTRIES)
      throw new BundleError(name, `more than ${MAX_ARCHIVE_ENTRIES} entries`);
    if (!checksumMatches(header)) throw new BundleError(name, `corrupt tar header at byte ${offset}`);
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156] ?? 0);
    const dataStart = offset + 512;
    if (size === undefined || dataStart + size > tar.length) {
      throw new BundleError(name, `truncated tar entry at byte ${offset}`);
    }
    const data = tar.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / 512) * 512;

    if (type === 'L') {
      longName = cString(data, 0, data.length);
      continue;
    }
    if (type === 'x') {
      longName = paxPath(data) ?? longName;
      continue;
    }
    if (type === 'g') continue;
    const path = longName ?? ustarName(header);
    longName = undefined;
    if (type !== '0' && type !== '\0' && type !== '7') continue;
    files.set(normalizePath(path), data);
  }
  return files;
}

function ustarName(h: Buffer): string {
  const base = cString(h, 0, 100);
  const magic = cString(h, 257, 6);
  const prefix = magic === 'ustar' ? cString(h, 345, 155) : '';
  return prefix ? `${prefix}/${base}` : base;
}

function normalizePath(path: string): string {
  return path
    .split('/')
    .filter((part) => part !== '' && part !== '.')
    .join('/');
}

function cString(buf: Buffer, start: number, length: number): string {
  const end = buf.indexOf(0, start);
  return buf.toString('utf8', start, end === -1 || end > start + length ? start + length : end);
}

function octal(buf: Buffer, start: number, length: number): number | undefined {
  const text = cString(buf, start, length).trim();
  if (text === '') return 0;
  return /^[0-7]+$/.test(text) ? parseInt(text, 8) : undefined;
}

function checksumMatches(h: Buffer): boolean {
  const stored = octal(h, 148, 8);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : (h[i] ?? 0);
  return stored === sum;
}

/** A pax extended header is `<len> key=value\n` records; only `path` matters here. */
function paxPath(data: Buffer): string | undefined {
  let path: string | undefined;
  for (const record of data.toString('utf8').split('\n')) {
    const m = /^\d+ path=(.*)$/.exec(record);
    if (m) path = m[1];
  }
  return path;
}
