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
}

export interface PromExposition {
  samples: PromSample[];
  families: Map<string, PromFamily>;
}
