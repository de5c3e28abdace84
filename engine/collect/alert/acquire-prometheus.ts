import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { httpGet } from '../http/http-get.js';
import type { CollectWarning } from '../types.js';

/** Metric families the bundle parsers read (formats.md §2 and §5). */
const FAMILIES = [
  'go_memstats_.*',
  'go_goroutines',
  'go_gc_.*',
  'container_memory_.*',
  'node_vmstat_.*',
  'node_pressure_.*',
  'jvm_.*',
];
const MAX_SERIES = 2_000;

export interface PrometheusSource {
  url: URL;
  selector: string;
  lookbackSeconds: number;
  stepSeconds: number;
}

interface Matrix {
  status?: string;
  data?: { resultType?: string; result?: { metric?: Record<string, string>; values?: [number, string][] }[] };
}

/** `{job="x"}` + the family regex → one selector (the configured one is trusted config, not alert data). */
export function rangeQuery(selector: string): string {
  const inner = selector.trim().replace(/^\{/, '').replace(/\}$/, '').trim();
  return `{__name__=~"${FAMILIES.join('|')}"${inner ? `, ${inner}` : ''}}`;
}

function labelText(metric: Record<string, string>): string {
  const entries = Object.entries(metric).filter(([k]) => k !== '__name__');
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}}`;
}

/**
 * Range queries over the last N minutes against a Prometheus server's HTTP API
 * (`/api/v1/query_range`), turned into the bundle's metrics.jsonl: one Prometheus exposition
 * text per evaluation timestamp, the same shape `memtriage collect` writes from /metrics, so the
 * same parsers read it. Returns the number of lines written; problems are warnings.
 */
export async function acquirePrometheus(
  src: PrometheusSource,
  dir: string,
  ctx: { fetch: typeof fetch; timeoutMs: number; signal?: AbortSignal; nowMs: number },
): Promise<{ lines: number; warnings: CollectWarning[] }> {
  const end = Math.floor(ctx.nowMs / 1000);
  const url = new URL(
    'api/v1/query_range',
    src.url.href.endsWith('/') ? src.url : new URL(`${src.url.href}/`),
  );
  url.searchParams.set('query', rangeQuery(src.selector));
  url.searchParams.set('start', String(end - src.lookbackSeconds));
  url.searchParams.set('end', String(end));
  url.searchParams.set('step', String(src.stepSeconds));
  const res = await httpGet(url, {
    fetch: ctx.fetch,
    timeoutMs: ctx.timeoutMs,
    accept: 'application/json',
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  if (!res.ok) return { lines: 0, warnings: [{ source: 'metrics', message: `prometheus: ${res.message}` }] };
  let body: Matrix;
  try {
    body = JSON.parse(res.body.toString('utf8')) as Matrix;
  } catch {
    return { lines: 0, warnings: [{ source: 'metrics', message: 'prometheus: answer is not JSON' }] };
  }
  if (body.status !== 'success' || body.data?.resultType !== 'matrix' || !Array.isArray(body.data.result)) {
    return {
      lines: 0,
      warnings: [{ source: 'metrics', message: 'prometheus: answer is not a range-query matrix' }],
    };
  }
  const warnings: CollectWarning[] = [];
  const series = body.data.result.slice(0, MAX_SERIES);
  if (body.data.result.length > MAX_SERIES) {
    warnings.push({
      source: 'metrics',
      message: `prometheus: ${body.data.result.length} series, kept the first ${MAX_SERIES}`,
    });
  }
  const byTs = new Map<number, string[]>();
  for (const s of series) {
    const name = s.metric?.__name__;
    if (!name || !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) continue;
    const labels = labelText(s.metric ?? {});
    for (const [t, v] of s.values ?? []) {
      const ts = Math.round(Number(t) * 1000);
      if (!Number.isFinite(ts)) continue;
      const lines = byTs.get(ts) ?? [];
      lines.push(`${name}${labels} ${v}`);
      byTs.set(ts, lines);
    }
  }
  const out = [...byTs.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([ts, lines]) => JSON.stringify({ ts, text: `${lines.join('\n')}\n` }));
  if (out.length === 0) {
    warnings.push({ source: 'metrics', message: 'prometheus: the query matched no series' });
    return { lines: 0, warnings };
  }
  await writeFile(join(dir, 'metrics.jsonl'), `${out.join('\n')}\n`);
  return { lines: out.length, warnings };
}
