import { describe, expect, it } from 'vitest';
import { parsePromText } from '../../../engine/parse/prom-text/parse-prom-text.js';
import {
  differingLabels,
  labelValue,
  matchesFilter,
  samplesNamed,
  singleValue,
  sumOver,
} from '../../../engine/parse/prom-text/select-series.js';
import type { ParseWarning } from '../../../engine/parse/types.js';

const exp = parsePromText(
  [
    'm{job="a",pod="p1"} 1',
    'm{job="a",pod="p2"} 2',
    'm{job="b",pod="p1"} NaN',
    'n 5',
    'g_count{gc="young",job="a"} 3',
    'g_count{gc="old",job="a"} 1',
  ].join('\n'),
).value;

describe('select-series', () => {
  it('matchesFilter: exact values, a missing label reads as "", aliases for old cAdvisor names', () => {
    expect(matchesFilter({ a: '1' }, { a: '1' })).toBe(true);
    expect(matchesFilter({ a: '1' }, { a: '2' })).toBe(false);
    expect(matchesFilter({}, { container: '' })).toBe(true);
    expect(matchesFilter({ container_name: 'x' }, { container: 'x' })).toBe(true);
    expect(labelValue({ pod_name: 'p' }, 'pod')).toBe('p');
    expect(labelValue({ pod: 'new', pod_name: 'old' }, 'pod')).toBe('new');
  });

  it('singleValue: one series, none, NaN counts as none, several is ambiguous', () => {
    const warnings: ParseWarning[] = [];
    expect(singleValue(exp, 'n')).toBe(5);
    expect(singleValue(exp, 'missing')).toBeUndefined();
    expect(singleValue(exp, 'm', { job: 'b' })).toBeUndefined();
    expect(singleValue(exp, 'm', { job: 'a', pod: 'p2' })).toBe(2);
    expect(singleValue(exp, 'm', { job: 'a' }, warnings)).toBeUndefined();
    expect(warnings).toEqual([
      {
        message:
          '2 series of m match {"job":"a"}; they differ in pod: pass a label filter to choose one; left absent',
      },
    ]);
  });

  it('sumOver adds across the dimension labels only', () => {
    expect(sumOver(exp, 'g_count', undefined, ['gc'])).toBe(4);
    expect(sumOver(exp, 'm', { job: 'a' }, ['pod'])).toBe(3);
    expect(sumOver(exp, 'm', { job: 'a' }, [])).toBeUndefined();
  });

  it('samplesNamed indexes once and returns [] for unknown names; differingLabels lists what differs', () => {
    expect(samplesNamed(exp, 'm')).toHaveLength(3);
    expect(samplesNamed(exp, 'zzz')).toEqual([]);
    expect(differingLabels(samplesNamed(exp, 'm'))).toEqual(['job', 'pod']);
  });
});
