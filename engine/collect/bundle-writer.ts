import { appendFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { minifyJson } from './minify-json.js';
import type { CollectedMeta, CollectWarning, ProcFiles } from './types.js';

/**
 * Writes the bundle layout of docs/capture-a-bundle.md. Crash safety, so that Ctrl-C or a kill
 * between two writes never leaves a corrupt file:
 * - whole files go to `<name>.tmp` and are renamed into place (rename is atomic on one fs);
 * - a snapshot folder (`cgroup/<ts>/`, `proc/<ts>/`) is filled as `<ts>.tmp/` and renamed
 *   whole, so a reader sees all of a snapshot or none of it (readers skip `*.tmp`);
 * - JSONL lines are appended with one write each (O_APPEND), so a line is never interleaved;
 *   only a SIGKILL inside that one write can leave a truncated last line.
 * Raw artifacts are written byte-for-byte; memstats lines are the only re-encoded text, and
 * only their whitespace is removed (see minifyJson).
 */
export interface BundleWriter {
  readonly dir: string;
  /** Problems that made the writer skip something (invalid JSON, a bad file name). */
  readonly warnings: readonly CollectWarning[];
  /** memstats.jsonl `{"ts":…,"vars":<compact JSON>}`; false (and a warning) when the text is not a JSON object. */
  appendMemstats(ts: number, varsJsonText: string): Promise<boolean>;
  /** metrics.jsonl `{"ts":…,"text":…}`. */
  appendMetrics(ts: number, text: string): Promise<void>;
  /** cgroup/<ts>/<file> for each entry; returns the number of files written. */
  writeCgroupSnapshot(ts: number, files: Record<string, string | Uint8Array>): Promise<number>;
  /** proc/<ts>/<name> for each file present; returns the number of files written. */
  writeProcSnapshot(ts: number, files: ProcFiles): Promise<number>;
  /** pprof/<ts>.pb.gz, and heap.pb.gz as the latest. */
  writeHeapProfile(ts: number, bytes: Uint8Array): Promise<void>;
  /** heap.txt (/debug/pprof/heap?debug=1). */
  writeHeapText(text: string | Uint8Array): Promise<void>;
  writeMeta(meta: CollectedMeta): Promise<void>;
  /** alert.json: raw webhook text kept byte-for-byte (after a JSON check), or a value to serialise. */
  writeAlert(json: string | object): Promise<boolean>;
}

/** Creates the writer; the directory is created if needed (collectBundle checks it is new or empty). */
export function createBundleWriter(dir: string): BundleWriter {
  const warnings: CollectWarning[] = [];
  const queues = new Map<string, Promise<unknown>>();
  let dirReady: Promise<unknown> | undefined;

  const ensureDir = () => (dirReady ??= mkdir(dir, { recursive: true }));
  /** Serialises operations on one path so appends keep their order and renames do not race. */
  function serial<T>(key: string, op: () => Promise<T>): Promise<T> {
    const prev = queues.get(key) ?? Promise.resolve();
    const next = prev.then(op, op);
    queues.set(
      key,
      next.catch(() => undefined),
    );
    return next;
  }
  function warn(message: string, ts?: number): void {
    warnings.push(
      ts === undefined ? { source: 'bundle', message } : { source: 'bundle', message, firstTs: ts },
    );
  }
  async function writeAtomic(rel: string, data: string | Uint8Array): Promise<void> {
    await ensureDir();
    await serial(rel, async () => {
      const path = join(dir, rel);
      await writeFile(`${path}.tmp`, data);
      await rename(`${path}.tmp`, path);
    });
  }
  async function appendLine(rel: string, line: string): Promise<void> {
    await ensureDir();
    await serial(rel, () => appendFile(join(dir, rel), line));
  }
  async function writeSnapshot(
    kind: 'cgroup' | 'proc',
    ts: number,
    entries: [string, string | Uint8Array][],
  ): Promise<number> {
    checkTs(ts);
    const safe = entries.filter(([name]) => {
      if (isPlainFileName(name)) return true;
      warn(`${kind}: refused file name ${JSON.stringify(name)} (must be a plain file name)`, ts);
      return false;
    });
    if (safe.length === 0) return 0;
    await ensureDir();
    const parent = join(dir, kind);
    const tmp = join(parent, `${ts}.tmp`);
    await serial(`${kind}/${ts}`, async () => {
      await rm(tmp, { recursive: true, force: true });
      await mkdir(tmp, { recursive: true });
      for (const [name, data] of safe) await writeFile(join(tmp, name), data);
      await rename(tmp, join(parent, String(ts)));
    });
    return safe.length;
  }

  return {
    dir,
    warnings,
    async appendMemstats(ts, varsJsonText) {
      checkTs(ts);
      const compact = minifyJson(varsJsonText, { requireObject: true });
      if (!compact.ok) {
        warn(`memstats: skipped /debug/vars body at ts ${ts}: ${compact.message}`, ts);
        return false;
      }
      await appendLine('memstats.jsonl', `{"ts":${ts},"vars":${compact.text}}\n`);
      return true;
    },
    async appendMetrics(ts, text) {
      checkTs(ts);
      await appendLine('metrics.jsonl', `${JSON.stringify({ ts, text })}\n`);
    },
    writeCgroupSnapshot: (ts, files) => writeSnapshot('cgroup', ts, Object.entries(files)),
    writeProcSnapshot: (ts, files) =>
      writeSnapshot(
        'proc',
        ts,
        Object.entries(files).filter((e): e is [string, string] => typeof e[1] === 'string'),
      ),
    async writeHeapProfile(ts, bytes) {
      checkTs(ts);
      await ensureDir();
      await mkdir(join(dir, 'pprof'), { recursive: true });
      await writeAtomic(`pprof/${ts}.pb.gz`, bytes);
      await writeAtomic('heap.pb.gz', bytes);
    },
    writeHeapText: (text) => writeAtomic('heap.txt', text),
    writeMeta: (meta) => writeAtomic('meta.json', `${JSON.stringify(meta, null, 2)}\n`),
    async writeAlert(json) {
      if (typeof json !== 'string') {
        await writeAtomic('alert.json', `${JSON.stringify(json, null, 2)}\n`);
        return true;
      }
      try {
        JSON.parse(json);
      } catch (err) {
        warn(`alert: not written, not valid JSON: ${(err as Error).message}`);
        return false;
      }
      await writeAtomic('alert.json', json);
      return true;
    },
  };
}

/** `<ts>` names folders and files, so it must be a plain non-negative integer (unix ms). */
function checkTs(ts: number): void {
  if (!Number.isSafeInteger(ts) || ts < 0) {
    throw new RangeError(`bundle timestamp must be a non-negative integer (unix ms), got ${ts}`);
  }
}

function isPlainFileName(name: string): boolean {
  return name.length > 0 && name !== '.' && name !== '..' && !name.endsWith('.tmp') && !/[/\\\0]/.test(name);
}
