import { getFactDefinition } from './catalogue.js';
import type { ParseWarning } from '../parse/types.js';
import { boundSeries } from './series.js';
import type { AcquisitionReport, FactSet, FactSource, FactValue, SeriesPoint } from './types.js';

/**
 * Collects facts for one bundle. Ids must be in the catalogue (a typo is a programming error
 * and throws); a value that is not finite is dropped, so an incomputable fact stays absent.
 */
export class FactSetBuilder {
  private readonly set: FactSet = {
    values: {},
    missingSources: [],
    warnings: [],
    series: {},
    growingSites: [],
  };

  put(id: string, value: FactValue | undefined): void {
    if (getFactDefinition(id) === undefined) throw new Error(`fact ${id} is not in the fact catalogue`);
    if (value === undefined) return;
    if (typeof value === 'number' && !Number.isFinite(value)) return;
    this.set.values[id] = value;
  }

  /** The values put so far (read-only), for derivations that combine earlier facts. */
  peek(): Readonly<FactSet['values']> {
    return this.set.values;
  }

  has(id: string): boolean {
    return id in this.set.values;
  }

  /** Records a series for charts, bounded to MAX_SERIES_POINTS (see boundSeries). */
  series(name: string, points: SeriesPoint[]): void {
    if (points.length > 0) this.set.series[name] = boundSeries(points);
  }

  acquisition(report: AcquisitionReport): void {
    this.set.acquisition = report;
  }

  missing(source: FactSource, reason: string): void {
    this.set.missingSources.push({ source, reason });
  }

  warn(file: string, warnings: readonly ParseWarning[]): void {
    for (const w of warnings)
      this.set.warnings.push({ file, ...(w.line !== undefined ? { line: w.line } : {}), message: w.message });
  }

  growingSites(sites: FactSet['growingSites']): void {
    this.set.growingSites = sites;
  }

  build(): FactSet {
    return this.set;
  }
}
