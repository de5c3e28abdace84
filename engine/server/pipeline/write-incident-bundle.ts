import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
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
 * Asynchronous: on a server these writes used to block the event loop, and with it the accept path
 * (the 202s wait for the loop), for about a millisecond each on a journaling disk
 * (bench/server-webhook.ts, serve's CPU profile: mkdir and writeFile ~10 % of its wall time). In the
 * thread pool they cost a round trip each, while webhooks keep being accepted.
 *
 * Writes what the webhook brought into the bundle: alert.json, the generic webhook's inline files
 * (text, or base64 for `.pb.gz`) and its attached facts as facts.json. Paths were checked by the
 * schema; they are checked again here to stay inside the bundle whatever the caller passed.
 */
export async function writeWebhookArtifacts(dir: string, incident: IncidentRecord): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'alert.json'), JSON.stringify(alertDocument(incident), null, 2));
  if (incident.source !== 'generic') return;
  const p = incident.payload as { facts?: Record<string, unknown>; bundle?: Record<string, string> };
  if (p.facts && Object.keys(p.facts).length > 0) {
    await writeFile(join(dir, 'facts.json'), JSON.stringify(p.facts, null, 2));
  }
  const root = resolve(dir) + sep;
  const skipped: string[] = [];
  for (const [name, content] of Object.entries(p.bundle ?? {})) {
    const target = resolve(dir, name);
    if (!target.startsWith(root) || RESERVED.has(name)) continue;
    try {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, name.endsWith('.pb.gz') ? Buffer.from(content, 'base64') : content);
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
export async function resetBundleDir(dir: string): Promise<void> {
  // Usually there is none: a cheap existence check first, since rm() of a missing path builds two
  // ENOENT errors with stack traces (~0.4 ms a call in serve's profile).
  if (existsSync(dir)) await rm(dir, { recursive: true, force: true });
}
