import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isArchiveName } from '../../bundle/read-bundle.js';
import { backtest, formatBacktest, type ReplayItem } from '../../backtest/backtest.js';
import { loadCompiledRules } from '../../diagnose/load-rules.js';
import { InputError } from '../../errors.js';
import { parseQuantity } from '../../rules/index.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { parseStoreUrl } from '../../config/store-url.js';
import { bundleArchivePrefix } from '../../server/pipeline/shared-bundle.js';
import { openStore } from '../../store/open-store.js';
import type { CliIo } from '../io.js';

export interface BacktestCliOptions {
  rules: string[];
  noDefaultRules?: boolean;
  templates?: string[];
  since?: string;
  dataDir: string;
  /** A postgres:// store (several replicas): its incidents and their bundles instead of --data-dir's. */
  store?: string;
  bundles?: string;
}

/** Every stored incident has its bundle on disk; a backtest is bounded only by how many there are. */
const MAX_INCIDENTS = 100_000;

/**
 * `memtriage backtest --rules DIR`: replays stored incidents (or a directory of bundles) through the
 * current rules and the candidate, and prints what would change. Exit 1 when the candidate is invalid.
 */
export async function backtestCommand(
  opts: BacktestCliOptions,
  io: CliIo,
  now = Date.now(),
): Promise<number> {
  const since = opts.since === undefined ? undefined : parseSince(opts.since, now);
  const baseline = await loadCompiledRules(opts.templates ? { templates: opts.templates } : {});
  let candidate;
  try {
    candidate = await loadCompiledRules({
      rules: opts.rules,
      ...(opts.noDefaultRules ? { noDefaultRules: true } : {}),
      ...(opts.templates ? { templates: opts.templates } : {}),
    });
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    io.err(`memtriage: the candidate ruleset is invalid: ${err.message}\n`);
    return 1;
  }
  const scratch = opts.store ? await mkdtemp(join(tmpdir(), 'memtriage-backtest-')) : undefined;
  try {
    const items = (
      opts.bundles ? bundlesIn(opts.bundles) : await storedIncidents(opts.dataDir, opts.store, scratch)
    ).filter((i) => since === undefined || (i.receivedAt ?? Infinity) >= since);
    io.out(formatBacktest(await backtest(items, baseline, candidate)));
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
  return 0;
}

/**
 * The stored incidents with a bundle. A PostgreSQL store (`--store`) holds the bundles themselves:
 * each is written to `scratch` as `<id>.tar.gz`, which the replay reads like any bundle archive.
 */
async function storedIncidents(dataDir: string, url?: string, scratch?: string): Promise<ReplayItem[]> {
  if (url === undefined && !existsSync(join(dataDir, 'memtriage.db')) && !existsSync(dataDir)) {
    throw new InputError(
      'MT_ERR_CLI_USAGE',
      `--data-dir ${dataDir}: no memtriage data here (run memtriage serve, or use --bundles DIR)`,
    );
  }
  const store = await openStore({
    dataDir,
    ...(url !== undefined ? { url: parseStoreUrl(url).reveal() } : {}),
  });
  try {
    const out: ReplayItem[] = [];
    for (const i of await store.listIncidents(MAX_INCIDENTS)) {
      if (i.bundleDir === undefined) continue;
      let bundleDir = i.bundleDir;
      if (store.sharedBundles && scratch !== undefined) {
        const archive = await store.getBundle(i.id);
        if (archive === undefined) continue;
        bundleDir = join(scratch, `${bundleArchivePrefix(i.id)}.tar.gz`);
        await writeFile(bundleDir, archive);
      }
      out.push({
        id: i.id,
        bundleDir,
        receivedAt: i.receivedAt,
        ...(i.diagnosis?.incident.service ? { service: i.diagnosis.incident.service } : {}),
      });
    }
    return out;
  } finally {
    await store.close();
  }
}

function bundlesIn(dir: string): ReplayItem[] {
  if (!existsSync(dir)) throw new InputError('MT_ERR_CLI_USAGE', `--bundles ${dir}: not found`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() || (e.isFile() && isArchiveName(e.name)))
    .map((e) => ({ id: e.name.replace(/\.(tar\.gz|tgz)$/i, ''), bundleDir: join(dir, e.name) }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** `--since 7d`, `--since 36h` (a duration back from now) or an ISO date. */
function parseSince(raw: string, now: number): number {
  const asDate = Date.parse(raw);
  if (/^\d{4}-\d{2}-\d{2}/.test(raw) && Number.isFinite(asDate)) return asDate;
  const m = /^(\d+(?:\.\d+)?)d$/.exec(raw);
  const q = m
    ? { ok: true as const, value: Number(m[1]) * 86_400 }
    : parseQuantity(raw, 'seconds', 'the value');
  if (!q.ok)
    throw new InputError(
      'MT_ERR_CLI_USAGE',
      `--since ${raw}: write a duration (7d, 36h, 30m) or a date (2026-11-01)`,
    );
  return now - q.value * 1000;
}
