import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BundleError } from '../errors.js';
import type { BundleMeta, RawBundle, Timed } from './types.js';

/** Top-level files of the layout, and where each goes in RawBundle. */
const TEXT_FILES = {
  'memstats.jsonl': 'memstatsJsonl',
  'gctrace.log': 'gctrace',
  'heap.txt': 'heapText',
  'metrics.jsonl': 'metricsJsonl',
  'jvm-gc.log': 'jvmGcLog',
  'dmesg.txt': 'dmesg',
} as const;
const KNOWN_DIRS = new Set(['cgroup', 'proc', 'pprof', 'nmt']);
const KNOWN_FILES = new Set([
  ...Object.keys(TEXT_FILES),
  'meta.json',
  'alert.json',
  'facts.json',
  'heap.pb.gz',
]);

/** Largest single artifact we read into memory: a bundle is evidence, not a log archive. */
const MAX_FILE_BYTES = 512 * 1024 * 1024;

/**
 * Reads an incident bundle directory. Throws BundleError (exit code 2) when the directory
 * itself is unusable, when meta.json/alert.json are not JSON objects, or when the bundle holds
 * no artifact at all; the contents of data files are left to the tolerant parsers.
 */
export async function readBundle(dir: string): Promise<RawBundle> {
  const st = await stat(dir).catch((cause: unknown) => {
    throw new BundleError(dir, 'bundle directory not found', { cause });
  });
  if (!st.isDirectory()) throw new BundleError(dir, 'not a directory (a bundle is a directory)');

  const entries = await readdir(dir, { withFileTypes: true });
  const bundle: RawBundle = { dir, profiles: [], cgroup: [], proc: [], nmt: [], unknownEntries: [] };

  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!KNOWN_DIRS.has(entry.name)) bundle.unknownEntries.push(`${entry.name}/`);
      continue;
    }
    // A collector's half-written file (`*.tmp`, renamed into place when complete) is not evidence.
    if (entry.name.endsWith('.tmp')) continue;
    if (!KNOWN_FILES.has(entry.name)) {
      bundle.unknownEntries.push(entry.name);
      continue;
    }
    if (entry.name === 'meta.json') bundle.meta = (await readJsonObject(path, entry.name)) as BundleMeta;
    else if (entry.name === 'alert.json') bundle.alert = await readJsonObject(path, entry.name);
    else if (entry.name === 'facts.json') bundle.attachedFacts = await readJsonObject(path, entry.name);
    else if (entry.name === 'heap.pb.gz') bundle.heapProfile = await readBytes(path, entry.name);
    else bundle[TEXT_FILES[entry.name as keyof typeof TEXT_FILES]] = await readText(path, entry.name);
  }

  bundle.cgroup = await readTimedDirs(dir, 'cgroup');
  bundle.proc = await readTimedDirs(dir, 'proc');
  bundle.profiles = await readTimedFiles(dir, 'pprof', '.pb.gz', (p, n) => readBytes(p, n));
  bundle.nmt = await readTimedFiles(dir, 'nmt', '.txt', (p, n) => readText(p, n));

  if (!hasArtifacts(bundle)) {
    throw new BundleError(
      dir,
      'no incident artifacts found (expected e.g. memstats.jsonl, gctrace.log, cgroup/)',
    );
  }
  return bundle;
}

function hasArtifacts(b: RawBundle): boolean {
  return (
    b.alert !== undefined ||
    b.attachedFacts !== undefined ||
    b.memstatsJsonl !== undefined ||
    b.gctrace !== undefined ||
    b.heapProfile !== undefined ||
    b.heapText !== undefined ||
    b.metricsJsonl !== undefined ||
    b.jvmGcLog !== undefined ||
    b.dmesg !== undefined ||
    b.profiles.length + b.cgroup.length + b.proc.length + b.nmt.length > 0
  );
}

async function readBytes(path: string, name: string): Promise<Uint8Array> {
  const st = await stat(path);
  if (st.size > MAX_FILE_BYTES)
    throw new BundleError(name, `file is ${st.size} bytes, over the ${MAX_FILE_BYTES} limit`);
  return readFile(path).catch((cause: unknown) => {
    throw new BundleError(name, 'cannot be read', { cause });
  });
}

async function readText(path: string, name: string): Promise<string> {
  return Buffer.from(await readBytes(path, name)).toString('utf8');
}

async function readJsonObject(path: string, name: string): Promise<Record<string, unknown>> {
  const text = await readText(path, name);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new BundleError(name, `not valid JSON: ${(cause as Error).message}`, { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BundleError(name, 'must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/** Parses a `<unix ms>` name; anything else is not part of the layout. */
function parseTs(name: string): number | undefined {
  return /^\d{1,16}$/.test(name) ? Number(name) : undefined;
}

async function listDir(path: string) {
  return readdir(path, { withFileTypes: true }).catch(() => []);
}

async function readTimedDirs(dir: string, sub: string): Promise<Timed<Record<string, string>>[]> {
  const out: Timed<Record<string, string>>[] = [];
  for (const entry of await listDir(join(dir, sub))) {
    const ts = parseTs(entry.name);
    if (ts === undefined || !entry.isDirectory()) continue;
    const files: Record<string, string> = {};
    for (const file of await listDir(join(dir, sub, entry.name))) {
      if (file.isFile()) {
        files[file.name] = await readText(
          join(dir, sub, entry.name, file.name),
          `${sub}/${entry.name}/${file.name}`,
        );
      }
    }
    out.push({ ts, value: files });
  }
  return out.sort((a, b) => a.ts - b.ts);
}

async function readTimedFiles<T>(
  dir: string,
  sub: string,
  suffix: string,
  read: (path: string, name: string) => Promise<T>,
): Promise<Timed<T>[]> {
  const out: Timed<T>[] = [];
  for (const entry of await listDir(join(dir, sub))) {
    if (!entry.isFile() || !entry.name.endsWith(suffix)) continue;
    const ts = parseTs(entry.name.slice(0, -suffix.length));
    if (ts === undefined) continue;
    out.push({ ts, value: await read(join(dir, sub, entry.name), `${sub}/${entry.name}`) });
  }
  return out.sort((a, b) => a.ts - b.ts);
}
