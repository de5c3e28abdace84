import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BundleError } from '../errors.js';
import { parseGctraceChunks } from '../parse/gctrace/parse-gctrace.js';
import { parseExpvarChunks } from '../parse/memstats/parse-expvar.js';
import { readTarGz, type ArchiveFiles } from './read-tar-gz.js';
import type { BundleMeta, RawBundle, Timed } from './types.js';

/** Top-level files of the layout, and where each goes in RawBundle. */
const TEXT_FILES = {
  'heap.txt': 'heapText',
  'metrics.jsonl': 'metricsJsonl',
  'goroutines.jsonl': 'goroutinesJsonl',
  'jvm-gc.log': 'jvmGcLog',
  'dmesg.txt': 'dmesg',
} as const;
const KNOWN_DIRS = new Set(['cgroup', 'proc', 'pprof', 'nmt']);
const KNOWN_FILES = new Set([
  ...Object.keys(TEXT_FILES),
  'gctrace.log',
  'memstats.jsonl',
  'meta.json',
  'alert.json',
  'facts.json',
  'acquisition-warnings.json',
  'heap.pb.gz',
]);

/**
 * Largest single artifact we read into memory: a bundle is evidence, not a log archive. gctrace.log
 * and memstats.jsonl are exempt: they are parsed as they stream from disk, in bounded memory
 * whatever their size.
 */
const MAX_FILE_BYTES = 512 * 1024 * 1024;

/** Where a bundle's files come from: a directory on disk or an archive unpacked in memory. */
interface BundleTree {
  /** Entries of a folder ('' is the bundle's root); an absent folder lists as empty. */
  list(sub: string): Promise<{ name: string; isDir: boolean }[]>;
  read(path: string): Promise<Uint8Array>;
  /**
   * The file's bytes in chunks, for a file parsed as it is read. A chunk is valid only until the
   * next one is asked for (the read buffer is reused, so reading allocates nothing per chunk).
   */
  chunks(path: string): AsyncIterable<Uint8Array>;
}

/**
 * Reads an incident bundle: a directory, or the same layout as a `.tar.gz` (one top-level folder,
 * as `tar -czf x.tar.gz x/` and the web page's "download the raw bundle" make it, or none). Throws
 * BundleError (exit code 2) when the bundle itself is unusable, when meta.json/alert.json are not
 * JSON objects, or when it holds no artifact at all; the contents of data files are left to the
 * tolerant parsers.
 */
export async function readBundle(path: string): Promise<RawBundle> {
  const st = await stat(path).catch((cause: unknown) => {
    throw new BundleError(path, 'bundle directory not found', { cause });
  });
  if (st.isDirectory()) return assembleBundle(path, directoryTree(path));
  if (st.isFile() && isArchiveName(path)) {
    return assembleBundle(path, archiveTree(readTarGz(await readBytes(path, path), path)));
  }
  throw new BundleError(path, 'not a directory or a .tar.gz (a bundle is a directory or its archive)');
}

/** `.tar.gz` / `.tgz`: the names `diagnose`, `facts`, `backtest` and `eval` accept as bundle archives. */
export function isArchiveName(path: string): boolean {
  return /\.(tar\.gz|tgz)$/i.test(path);
}

async function assembleBundle(dir: string, tree: BundleTree): Promise<RawBundle> {
  const bundle: RawBundle = { dir, profiles: [], cgroup: [], proc: [], nmt: [], unknownEntries: [] };

  for (const entry of await tree.list('')) {
    if (entry.isDir) {
      if (!KNOWN_DIRS.has(entry.name)) bundle.unknownEntries.push(`${entry.name}/`);
      continue;
    }
    // A collector's half-written file (`*.tmp`, renamed into place when complete) is not evidence.
    if (entry.name.endsWith('.tmp')) continue;
    if (!KNOWN_FILES.has(entry.name)) {
      bundle.unknownEntries.push(entry.name);
      continue;
    }
    const read = () => tree.read(entry.name);
    if (entry.name === 'meta.json') bundle.meta = (await readJsonObject(read, entry.name)) as BundleMeta;
    else if (entry.name === 'alert.json') bundle.alert = await readJsonObject(read, entry.name);
    else if (entry.name === 'facts.json') bundle.attachedFacts = await readJsonObject(read, entry.name);
    else if (entry.name === 'acquisition-warnings.json')
      bundle.acquisitionWarnings = await readJsonObject(read, entry.name);
    else if (entry.name === 'heap.pb.gz') bundle.heapProfile = await read();
    else if (entry.name === 'gctrace.log')
      bundle.gctrace = await readStreamed(tree, entry.name, parseGctraceChunks);
    else if (entry.name === 'memstats.jsonl')
      bundle.memstats = await readStreamed(tree, entry.name, parseExpvarChunks);
    else bundle[TEXT_FILES[entry.name as keyof typeof TEXT_FILES]] = utf8(await read());
  }

  bundle.cgroup = await readTimedDirs(tree, 'cgroup');
  bundle.proc = await readTimedDirs(tree, 'proc');
  bundle.profiles = await readTimedFiles(tree, 'pprof', '.pb.gz', (p) => tree.read(p));
  bundle.nmt = await readTimedFiles(tree, 'nmt', '.txt', async (p) => utf8(await tree.read(p)));

  if (!hasArtifacts(bundle)) {
    throw new BundleError(
      dir,
      'no incident artifacts found (expected e.g. memstats.jsonl, gctrace.log, cgroup/)',
    );
  }
  return bundle;
}

function directoryTree(dir: string): BundleTree {
  return {
    list: async (sub) =>
      (await readdir(join(dir, sub), { withFileTypes: true }).catch(() => []))
        .filter((e) => e.isDirectory() || e.isFile())
        .map((e) => ({ name: e.name, isDir: e.isDirectory() })),
    read: (path) => readBytes(join(dir, path), path),
    chunks: (path) => fileChunks(join(dir, path)),
  };
}

/** Read size for streamed files: large enough that the parser, not the syscalls, sets the pace. */
const CHUNK_BYTES = 1 << 20;

async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
  const file = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await file.read(buf, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) return;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    await file.close();
  }
}

/** A file parsed as it streams from the tree (gctrace.log, memstats.jsonl). */
async function readStreamed<T>(
  tree: BundleTree,
  name: string,
  parse: (chunks: AsyncIterable<Uint8Array>) => Promise<T>,
): Promise<T> {
  try {
    return await parse(tree.chunks(name));
  } catch (cause) {
    throw new BundleError(name, 'cannot be read', { cause });
  }
}

/** An archive's files; a single top-level folder that holds the whole bundle is its root. */
function archiveTree(files: ArchiveFiles): BundleTree {
  const paths = [...files.keys()];
  const tops = new Set(paths.map((p) => p.split('/')[0]));
  const [top] = tops;
  const root =
    tops.size === 1 && top !== undefined && paths.every((p) => p.startsWith(`${top}/`)) ? `${top}/` : '';
  const byPath = new Map<string, Uint8Array>();
  // Every folder's entries, indexed once: `list` is called for each timestamped folder.
  const folders = new Map<string, Map<string, boolean>>();
  for (const [p, data] of files) {
    const path = p.slice(root.length);
    byPath.set(path, data);
    const parts = path.split('/');
    for (let i = 0; i < parts.length; i++) {
      const folder = parts.slice(0, i).join('/');
      let entries = folders.get(folder);
      if (entries === undefined) folders.set(folder, (entries = new Map()));
      entries.set(parts[i]!, i < parts.length - 1 || entries.get(parts[i]!) === true);
    }
  }
  const read = async (path: string) => {
    const data = byPath.get(path);
    if (data === undefined) throw new BundleError(path, 'cannot be read (not in the archive)');
    return data;
  };
  return {
    list: async (sub) => [...(folders.get(sub) ?? [])].map(([name, isDir]) => ({ name, isDir })),
    read,
    chunks: async function* (path) {
      yield await read(path);
    },
  };
}

function hasArtifacts(b: RawBundle): boolean {
  return (
    b.alert !== undefined ||
    b.attachedFacts !== undefined ||
    b.acquisitionWarnings !== undefined ||
    // A collector that reached nothing still records why (meta.json `warnings`): that is evidence.
    (Array.isArray(b.meta?.['warnings']) && b.meta['warnings'].length > 0) ||
    b.memstats !== undefined ||
    b.gctrace !== undefined ||
    b.heapProfile !== undefined ||
    b.heapText !== undefined ||
    b.metricsJsonl !== undefined ||
    b.goroutinesJsonl !== undefined ||
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

function utf8(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

async function readJsonObject(
  read: () => Promise<Uint8Array>,
  name: string,
): Promise<Record<string, unknown>> {
  const text = utf8(await read());
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

async function readTimedDirs(tree: BundleTree, sub: string): Promise<Timed<Record<string, string>>[]> {
  const out: Timed<Record<string, string>>[] = [];
  for (const entry of await tree.list(sub)) {
    const ts = parseTs(entry.name);
    if (ts === undefined || !entry.isDir) continue;
    const files: Record<string, string> = {};
    for (const file of await tree.list(`${sub}/${entry.name}`)) {
      if (!file.isDir) files[file.name] = utf8(await tree.read(`${sub}/${entry.name}/${file.name}`));
    }
    out.push({ ts, value: files });
  }
  return out.sort((a, b) => a.ts - b.ts);
}

async function readTimedFiles<T>(
  tree: BundleTree,
  sub: string,
  suffix: string,
  read: (path: string) => Promise<T>,
): Promise<Timed<T>[]> {
  const out: Timed<T>[] = [];
  for (const entry of await tree.list(sub)) {
    if (entry.isDir || !entry.name.endsWith(suffix)) continue;
    const ts = parseTs(entry.name.slice(0, -suffix.length));
    if (ts === undefined) continue;
    out.push({ ts, value: await read(`${sub}/${entry.name}`) });
  }
  return out.sort((a, b) => a.ts - b.ts);
}
