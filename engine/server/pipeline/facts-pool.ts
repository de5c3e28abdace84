import { Worker } from 'node:worker_threads';
import type { RawBundle } from '../../bundle/types.js';
import type { FactsRequest } from './facts-worker.js';
import type { ReadFacts } from './read-facts.js';

/**
 * Parsing a bundle is the one step of a diagnosis whose cost an attacker (or a huge capture) sets:
 * every parser is linear and capped, but a bundle at every cap still takes hundreds of milliseconds,
 * which on the event loop would stall every webhook and health check. So the server reads bundles in
 * a worker thread: one, reused, requests queued in order. A request that runs past `timeoutMs` (the
 * time budget) terminates the worker, which is started afresh for the next one, and fails with
 * ParseBudgetError; the pipeline then diagnoses the alert alone and says why.
 */
export class ParseBudgetError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`reading the bundle took longer than ${timeoutMs} ms; diagnosed from the alert alone`);
    this.name = 'ParseBudgetError';
  }
}

interface Pending {
  resolve: (r: ReadFacts) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export interface FactsPool {
  /** `budgetMs` overrides the pool's time budget for this request. */
  read(dir: string, fallback: RawBundle, budgetMs?: number): Promise<ReadFacts>;
  close(): Promise<void>;
}

/**
 * The worker: the built .js next to this file; from the TypeScript sources (tests, `tsx`), a small
 * bootstrap that registers tsx's loader in the worker and then imports the .ts module.
 */
function startWorker(): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new Worker(new URL('./facts-worker.js', self));
  const source = JSON.stringify(new URL('./facts-worker.ts', self).href);
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${source}); });`, {
    eval: true,
  });
}

export function createFactsPool(timeoutMs = 30_000): FactsPool {
  let worker: Worker | undefined;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  const failAll = (err: Error) => {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      p.reject(err);
      pending.delete(id);
    }
  };
  const start = (): Worker => {
    const w = startWorker();
    w.on('message', (msg: { id: number; result?: ReadFacts; error?: string }) => {
      const p = pending.get(msg.id);
      if (p === undefined) return;
      pending.delete(msg.id);
      clearTimeout(p.timer);
      if (msg.result !== undefined) p.resolve(msg.result);
      else p.reject(new Error(msg.error ?? 'the facts worker failed'));
    });
    w.on('error', (err) => {
      if (worker === w) worker = undefined;
      failAll(err);
    });
    w.on('exit', () => {
      if (worker === w) worker = undefined;
      failAll(new Error('the facts worker exited'));
    });
    // An idle parser must not keep the process alive (after SIGTERM `serve` must exit). Last: a
    // 'message' listener added after unref() refs the worker's port again.
    w.unref();
    return w;
  };

  return {
    read(dir, fallback, budgetMs = timeoutMs) {
      worker ??= start();
      const w = worker;
      const id = nextId++;
      return new Promise<ReadFacts>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new ParseBudgetError(budgetMs));
          // Everything queued behind it fails too and is retried by its caller's fallback.
          if (worker === w) worker = undefined;
          w.terminate().catch(() => undefined); // it is being discarded; an exit error changes nothing
        }, budgetMs);
        timer.unref();
        pending.set(id, { resolve, reject, timer });
        w.postMessage({ id, dir, fallback } satisfies FactsRequest);
      });
    },
    async close() {
      const w = worker;
      worker = undefined;
      failAll(new Error('the facts pool was closed'));
      if (w !== undefined) await w.terminate();
    },
  };
}
