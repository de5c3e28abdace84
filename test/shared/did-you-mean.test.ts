import { describe, expect, it } from 'vitest';
import { editDistance, suggest } from '../../engine/shared/did-you-mean.js';

describe('did you mean', () => {
  it('counts a transposition as one edit', () => {
    expect(editDistance('titel', 'title')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests a fact written without its source, a near typo, and nothing for noise', () => {
    const ids = ['memstats.heapInuseBytes', 'memstats.heapIdleBytes', 'gctrace.liveHeapTrendR2'];
    expect(suggest('heapInuseBytes', ids)).toEqual(['memstats.heapInuseBytes']);
    expect(suggest('memstats.heapInUseBytes', ids)).toEqual(['memstats.heapInuseBytes']);
    expect(suggest('gctrace.liveHeapTrend', ids)).toEqual(['gctrace.liveHeapTrendR2']);
    expect(suggest('note', ['gt', 'gte', 'lte', 'ne'])).toEqual([]);
  });

  it('suggests the word an abbreviation stands for (severity: warn), from three characters', () => {
    const severities = ['info', 'warning', 'critical'];
    expect(suggest('warn', severities)).toEqual(['warning']);
    expect(suggest('crit', severities)).toEqual(['critical']);
    expect(suggest('Warn', severities)).toEqual(['warning']);
    expect(suggest('wa', severities)).toEqual([]);
  });
});
