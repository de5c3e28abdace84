/**
 * The worker thread side of facts-pool.ts: reads a bundle and builds its facts off the server's
 * event loop. One request at a time; the answer is structured-cloned back.
 */
import { parentPort } from 'node:worker_threads';
import type { RawBundle } from '../../bundle/types.js';
import { readFacts } from './read-facts.js';

export interface FactsRequest {
  id: number;
  dir: string;
  fallback: RawBundle;
}

parentPort?.on('message', (req: FactsRequest) => {
  readFacts(req.dir, req.fallback).then(
    (result) => parentPort!.postMessage({ id: req.id, result }),
    (err: unknown) =>
      parentPort!.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
