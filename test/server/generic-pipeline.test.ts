import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../engine/server/build-server.js';
import { makePipeline, recordingChannel } from './pipeline-fixture.js';

/** Facts of pub-map-leak as a sender would attach them (figures from rules/go-map-leak/rule.yaml comments). */
export const MAP_LEAK_FACTS = {
  'runtime.kind': 'go',
  'gctrace.liveHeapSlopeBytesPerSecond': 1.8 * 1024 * 1024,
  'gctrace.liveHeapTrendR2': 0.82,
  'gctrace.windowSeconds': 120,
  'memstats.heapObjectsSlopePerSecond': 21_700,
  'pprof.inuseShare.map': 0.58,
};

let p: Awaited<ReturnType<typeof makePipeline>> | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

async function setup() {
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
  const post = async (body: unknown) => {
    const res = await app.inject({ method: 'POST', url: '/webhook/generic', payload: body as object });
    await new Promise((r) => setImmediate(r));
    return res;
  };
  return { rec, post, accepted, app };
}

describe('generic webhook through the pipeline', () => {
  it('attached facts are diagnosed (map leak) and kept in the bundle as facts.json', async () => {
    const { rec, post, accepted, app } = await setup();
    const res = await post({
      alert: { name: 'OrdersHeapGrowth', labels: { service: 'orders' } },
      facts: MAP_LEAK_FACTS,
    });
    expect(res.statusCode).toBe(202);
    await p!.pipeline.advance(accepted[0]!);
    const inc = (await p!.store.getIncident(accepted[0]!))!;
    expect(inc.diagnosis?.causes[0]?.ruleId).toBe('go-map-leak');
    expect(inc.diagnosis?.incident).toMatchObject({
      source: 'generic',
      labels: { alertname: 'OrdersHeapGrowth', service: 'orders' },
    });
    expect(JSON.parse(readFileSync(join(inc.bundleDir!, 'facts.json'), 'utf8'))).toEqual(MAP_LEAK_FACTS);
    await p!.worker.drain();
    expect(rec.sent[0]?.payload).toMatchObject({ top: 'go-map-leak' });
    await app.close();
  });

  it('an inline bundle is written in the bundle layout and diagnosed like the captured one', async () => {
    const { post, accepted, app } = await setup();
    const src = 'examples/incidents/pub-gc-thrash';
    const bundle = {
      'gctrace.log': readFileSync(join(src, 'gctrace.log'), 'utf8'),
      'memstats.jsonl': readFileSync(join(src, 'memstats.jsonl'), 'utf8'),
      'meta.json': readFileSync(join(src, 'meta.json'), 'utf8'),
      'heap.pb.gz': readFileSync(join(src, 'heap.pb.gz')).toString('base64'),
    };
    expect(JSON.stringify(bundle).length).toBeLessThan(p!.config.server.bodyLimitBytes);
    const res = await post({ alert: { name: 'GcThrash', id: 'evt-42' }, bundle });
    expect(res.statusCode).toBe(202);
    await p!.pipeline.advance(accepted[0]!);
    const inc = (await p!.store.getIncident(accepted[0]!))!;
    expect(readFileSync(join(inc.bundleDir!, 'heap.pb.gz'))).toEqual(readFileSync(join(src, 'heap.pb.gz')));
    expect(inc.diagnosis?.causes[0]?.ruleId).toBe('go-gc-thrash');
    await app.close();
  });
});
