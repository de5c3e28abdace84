import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../engine/server/build-server.js';
import { emptySampleBomb } from '../parse/pprof/profile-bomb.js';
import { makePipeline, recordingChannel } from './pipeline-fixture.js';

let p: Awaited<ReturnType<typeof makePipeline>> | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

/**
 * Issue 12's hostile incident through the real webhook and pipeline: the lines that froze the
 * event loop for 12–26 s (a prom-text number, a JVM GC line, an NMT category, a dmesg kill line)
 * and a profile bomb, all inline in one generic webhook under the default 1 MiB body limit.
 * The event loop may stall for the (linear, capped) parse, never for seconds.
 */
describe('a hostile inline bundle does not freeze the server', () => {
  it('is diagnosed with warnings naming each file, and the event loop never stalls for more than 1 s', async () => {
    const rec = recordingChannel();
    p = await makePipeline({ channels: [rec.channel] });
    const accepted: string[] = [];
    const app = buildServer({
      config: p.config,
      store: p.store,
      metrics: p.metrics,
      logger: false,
      onAccepted: (i) => accepted.push(i.id),
    });
    const nearCap = 60_000; // under the 64 KiB line cap: these lines reach the patterns
    const bundle = {
      'metrics.jsonl': `${JSON.stringify({ ts: 1, text: `go_goroutines ${'1'.repeat(nearCap)}e\n` })}\n`,
      'jvm-gc.log': `[1.0s][info][gc] GC(1) Pause Young${' '.repeat(nearCap)}!\n[1.0s][info][gc] GC(2) A${' '.repeat(150_000)}!\n`,
      'nmt/1700000000000.txt': `-${' '.repeat(nearCap)}x\nTotal: reserved=1KB, committed=1KB\n`,
      'dmesg.txt': `Killed process 1 (a) ${' '.repeat(nearCap)}x\n`,
      'heap.pb.gz': emptySampleBomb(125_000_000).toString('base64'),
    };
    const body = { alert: { name: 'Hostile', id: 'evt-hostile' }, bundle };
    expect(JSON.stringify(body).length).toBeLessThan(p.config.server.bodyLimitBytes);

    const res = await app.inject({ method: 'POST', url: '/webhook/generic', payload: body });
    expect(res.statusCode).toBe(202);
    await new Promise((r) => setImmediate(r));

    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const started = performance.now();
    await p.pipeline.advance(accepted[0]!);
    const elapsed = performance.now() - started;
    await new Promise((r) => setTimeout(r, 50)); // let the monitor's timer record the last stall
    delay.disable();

    const stallMs = delay.max / 1e6;
    expect(stallMs, `longest event-loop stall ${stallMs.toFixed(0)} ms`).toBeLessThan(1_000);
    expect(elapsed).toBeLessThan(10_000);
    const d = (await p.store.getIncident(accepted[0]!))!.diagnosis!;
    const byFile = (file: string) => d.warnings.filter((w) => w.file === file).map((w) => w.message);
    expect(byFile('heap.pb.gz').join('\n')).toMatch(/cannot gunzip.*too large/);
    expect(byFile('jvm-gc.log').join('\n')).toMatch(/line 2 is 150\d+ characters long.*line limit; skipped/);
    await app.close();
  });
});
