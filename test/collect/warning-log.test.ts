import { describe, expect, it } from 'vitest';
import { createWarningLog } from '../../engine/collect/warning-log.js';

describe('createWarningLog', () => {
  it('folds repeats of one source+message into a count that keeps the first ts', () => {
    const log = createWarningLog();
    const refused = {
      source: 'expvar' as const,
      message: 'GET /debug/vars: connect ECONNREFUSED (ECONNREFUSED)',
    };
    log.add([refused], 1000);
    log.add([refused], 2000);
    log.add([refused, { source: 'cgroup', message: 'memory.stat: EACCES' }], 3000);
    expect(log.warnings()).toEqual([
      { ...refused, firstTs: 1000, count: 3 },
      { source: 'cgroup', message: 'memory.stat: EACCES', firstTs: 3000 },
    ]);
  });

  it('keeps each note once, in first-seen order', () => {
    const log = createWarningLog();
    log.note(['metrics: 404', 'proc: no PSI']);
    log.note(['metrics: 404']);
    expect(log.notes()).toEqual(['metrics: 404', 'proc: no PSI']);
  });
});
