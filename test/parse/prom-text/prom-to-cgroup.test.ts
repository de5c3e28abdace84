import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parsePromText } from '../../../engine/parse/prom-text/parse-prom-text.js';
import { promToCgroup } from '../../../engine/parse/prom-text/prom-to-cgroup.js';
import type { ParseWarning } from '../../../engine/parse/types.js';

const dir = fileURLToPath(new URL('../../fixtures/prom-text/', import.meta.url));
const cadvisor = parsePromText(readFileSync(dir + 'cadvisor-two-containers.prom', 'utf8')).value;
const MiB = 2 ** 20;

describe('promToCgroup on a cAdvisor scrape with two containers', () => {
  it('{container: "orders-api"}: usage, working set, limit, stat, faults, OOM events, PSI totals', () => {
    const warnings: ParseWarning[] = [];
    expect(promToCgroup(cadvisor, { container: 'orders-api' }, warnings)).toEqual({
      usageBytes: 230 * MiB,
      workingSetBytes: 226 * MiB,
      limitBytes: 256 * MiB,
      peakBytes: 240 * MiB,
      failcnt: 0,
      oomKills: 1,
      stat: {
        anonBytes: 210 * MiB,
        fileBytes: 20 * MiB,
        fileMappedBytes: 4 * MiB,
        pgfault: 1843211,
        pgmajfault: 5121,
      },
      pressureTotals: { some: { totalMicros: 12503116 }, full: { totalMicros: 7912004 } },
    });
    expect(warnings).toEqual([]);
  });

  it('the sidecar is told apart by its own filter', () => {
    const sidecar = promToCgroup(cadvisor, { container: 'istio-proxy', pod: 'orders-api-7d9f8c6b5-x2k4q' })!;
    expect(sidecar.usageBytes).toBe(50 * MiB);
    expect(sidecar.limitBytes).toBe(1024 * MiB);
    expect(sidecar.oomKills).toBe(0);
  });

  it('no filter: two app containers are ambiguous — nothing is guessed, one summarised warning', () => {
    const warnings: ParseWarning[] = [];
    expect(promToCgroup(cadvisor, undefined, warnings)).toBeUndefined();
    expect(warnings).toEqual([
      {
        message: expect.stringMatching(
          /^2 series of container_memory_usage_bytes match; they differ in container, id, image, name/,
        ),
      },
      { message: expect.stringMatching(/^\d+ more metrics are ambiguous the same way/) },
    ]);
  });

  it('{pod} alone is still ambiguous between its two containers; the pod cgroup is reachable with container=""', () => {
    expect(promToCgroup(cadvisor, { pod: 'orders-api-7d9f8c6b5-x2k4q' })).toBeUndefined();
    const podLevel = promToCgroup(cadvisor, { pod: 'orders-api-7d9f8c6b5-x2k4q', container: '' })!;
    expect(podLevel.usageBytes).toBe(293933056);
    expect(podLevel.limitBytes).toBe(1280 * MiB);
  });

  it('the POD sandbox is never picked, and its limit of 0 would mean unlimited', () => {
    expect(promToCgroup(cadvisor, { container: 'POD' })).toBeUndefined();
    const text =
      'container_spec_memory_limit_bytes{id="/",container=""} 0\ncontainer_memory_usage_bytes{id="/",container=""} 5\n';
    expect(promToCgroup(parsePromText(text).value)).toEqual({ stat: {}, limitBytes: null, usageBytes: 5 });
  });

  it('a single-container pod needs only the pod name (the pod-level cgroup gives way)', () => {
    const text = [
      'container_memory_usage_bytes{container="",pod="p"} 300',
      'container_memory_usage_bytes{container="POD",pod="p"} 1',
      'container_memory_usage_bytes{container="app",pod="p"} 290',
    ].join('\n');
    expect(promToCgroup(parsePromText(text).value, { pod: 'p' })?.usageBytes).toBe(290);
  });

  it('pre-1.16 label names container_name / pod_name match a container / pod filter', () => {
    const text =
      'container_memory_working_set_bytes{container_name="app",pod_name="p",id="/kubepods/x"} 77\n';
    expect(promToCgroup(parsePromText(text).value, { container: 'app', pod: 'p' })).toEqual({
      stat: {},
      workingSetBytes: 77,
    });
  });

  it('huge v1 "unlimited" limits are read as unlimited; plain Docker hosts filter on name', () => {
    const text = 'container_spec_memory_limit_bytes{id="/docker/abc",name="web"} 9.223372036854772e+18\n';
    expect(promToCgroup(parsePromText(text).value, { name: 'web' })?.limitBytes).toBeNull();
  });

  it('a scrape without cAdvisor metrics maps to undefined', () => {
    expect(
      promToCgroup(parsePromText(readFileSync(dir + 'node-exporter-vmstat-psi.prom', 'utf8')).value),
    ).toBeUndefined();
  });
});
