import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { addAcquisitionWarnings } from '../../collect/acquisition-warnings.js';
import type { IncidentRecord } from '../../store/types.js';
import { alertDocument } from './incident-labels.js';

/** `<dataDir>/bundles/<incident id>`: the same layout `memtriage diagnose` reads, so any incident replays. */
export function bundleDirFor(dataDir: string, incidentId: string): string {
  return join(dataDir, 'bundles', incidentId);
}

/** Files the generic webhook may not supply: memtriage writes them itself. */
const RESERVED = new Set(['alert.json', 'facts.json']);

/**
 * Synchronous on purpose: these are a few small files (the body cap is 1 MiB), and on the
 * overlay and network filesystems servers run on, each async fs call costs a thread-pool
 * round trip of about a millisecond — the sync calls are several times cheaper per alert.
 *
 * Writes what the webhook brought into the bundle: alert.json, the generic webhook's inline files
 * (text, or base64 for `.pb.gz`) and its attached facts as facts.json. Paths were checked by the
 * schema; they are checked again here to stay inside the bundle whatever the caller passed.
 */
export function writeWebhookArtifacts(dir: string, incident: IncidentRecord): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'alert.json'), JSON.stringify(alertDocument(incident), null, 2));
  if (incident.source !== 'generic') return;
  const p = incident.payload as { facts?: Record<string, unknown>; bundle?: Record<string, string> };
  if (p.facts && Object.keys(p.facts).length > 0) {
    writeFileSync(join(dir, 'facts.json'), JSON.stringify(p.facts, null, 2));
  }
  const root = resolve(dir) + sep;
  const skipped: string[] = [];
  for (const [name, content] of Object.entries(p.bundle ?? {})) {
    const target = resolve(dir, name);
    if (!target.startsWith(root) || RESERVED.has(name)) continue;
    try {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, name.endsWith('.pb.gz') ? Buffer.from(content, 'base64') : content);
    } catch (err) {
      // `pprof` as a file and `pprof/heap.pb.gz` in one body: the second cannot exist beside the first.
      // Skip what cannot be written, say so, and diagnose the rest; the alert must still go out.
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' && code !== 'ENOTDIR' && code !== 'EISDIR') throw err;
      skipped.push(`${name} (${code})`);
    }
  }
  if (skipped.length > 0) {
    addAcquisitionWarnings(dir, [
      { source: 'webhook', message: `inline files not written: ${skipped.join(', ')}` },
    ]);
  }
}

/** A re-run after a crash starts from an empty directory: a half-written sample must not splice in. */
export function resetBundleDir(dir: string): void {
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
}
