/** One sample from Prometheus text exposition format (version 0.0.4). */
export interface PromSample {
  /** Full sample name, including `_bucket`, `_sum`, `_count` suffixes. */
  name: string;
  labels: Record<string, string>;
  value: number;
  /** Optional explicit timestamp, unix ms. */
  timestampMs?: number;
}

export interface PromFamily {
  name: string;
  type?: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help?: string;
  /**
   * The `# TYPE` word as written, when it is not one of the five above: OpenMetrics `info`,
   * `stateset`, `gaugehistogram` (OpenMetrics `unknown` is read as `untyped`).
   */
  rawType?: string;
  /** OpenMetrics `# UNIT` (e.g. `seconds`, `bytes`). */
  unit?: string;
}

export interface PromExposition {
  samples: PromSample[];
  families: Map<string, PromFamily>;
  /** True when the text ended with OpenMetrics' `# EOF` (its timestamps are seconds; converted to ms here). */
  openMetrics?: boolean;
}
