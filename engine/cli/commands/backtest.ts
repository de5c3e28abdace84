import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isArchiveName } from '../../bundle/read-bundle.js';
import { backtest, formatBacktest, type ReplayItem } from '../../backtest/backtest.js';
import { loadCompiledRules } from '../../diagnose/load-rules.js';
import { InputError } from '../../errors.js';
import { parseQuantity } from '../../rules/index.js';
import { openSqliteStore } from '../../store/sqlite-store.js';
import type { CliIo } from '../io.js';

export interface BacktestCliOptions {
  rules: string[];
  noDefaultRules?: boolean;
  templates?: string[];
  since?: string;
  dataDir: string;
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
  const items = (opts.bundles ? bundlesIn(opts.bundles) : storedIncidents(opts.dataDir)).filter(
    (i) => since === undefined || (i.receivedAt ?? Infinity) >= since,
  );
  io.out(formatBacktest(await backtest(items, baseline, candidate)));
  return 0;
}

function storedIncidents(dataDir: string): ReplayItem[] {
  if (!existsSync(join(dataDir, 'memtriage.db')) && !existsSync(dataDir)) {
    throw new InputError(
      'MT_ERR_CLI_USAGE',
      `--data-dir ${dataDir}: no memtriage data here (run memtriage serve, or use --bundles DIR)`,
    );
  }
  const store = openSqliteStore(dataDir);
  try {
    return store.listIncidents(MAX_INCIDENTS).flatMap((i) =>
      i.bundleDir === undefined
        ? []
        : [
            {
              id: i.id,
              bundleDir: i.bundleDir,
              receivedAt: i.receivedAt,
              ...(i.diagnosis?.incident.service ? { service: i.diagnosis.incident.service } : {}),
            },
          ],
    );
  } finally {
    store.close();
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
