/** Allocation kinds we can tell apart from the frames in a Go heap profile sample. */
export type AllocKind = 'map' | 'slice' | 'string' | 'stack' | 'other';

export const ALLOC_KINDS: readonly AllocKind[] = ['map', 'slice', 'string', 'stack', 'other'];

/** Values of one allocation site or function. Bytes are bytes. */
export interface SiteStat {
  /** Function name of the site (`main.(*seenRequests).remember`). */
  function: string;
  /** `file:line` of the frame, when the profile has line info. */
  location?: string;
  inuseBytes: number;
  inuseObjects: number;
  allocBytes: number;
  allocObjects: number;
  /**
   * Allocation kind holding most of this site's in-use bytes (alloc bytes when nothing is in
   * use); see classify-alloc.ts for how kinds are decided and where they can be wrong.
   */
  kind?: AllocKind;
  /**
   * True when frames (`bytes.growSlice`, `runtime.mapassign`, …) named that kind for most of its
   * bytes; absent when the object-size rules of classify-alloc.ts decided it.
   */
  kindByFrames?: boolean;
}

export interface HeapProfile {
  /**
   * False when the bytes were not a readable heap profile (empty, not gzip/protobuf, garbled,
   * truncated, or no heap sample types): then totals are zero and there are no sites, and the
   * profile must be treated as missing, not as an empty heap. `parseHeapProfile` always sets it.
   */
  valid?: boolean;
  /**
   * Heap sample types the profile carries (`alloc_objects`, `alloc_space`, `inuse_objects`,
   * `inuse_space`). A figure whose type is absent is reported as 0: check here before using it.
   */
  sampleTypes?: string[];
  /** Profile time, unix ms (pprof `time_nanos`), when set. */
  timeMs?: number;
  totals: { inuseBytes: number; inuseObjects: number; allocBytes: number; allocObjects: number };
  /**
   * Flat by allocation site: the first frame of each sample that is not in the runtime or in
   * a standard-library allocation helper — the user code a developer would open. Sorted by inuseBytes desc.
   */
  sites: SiteStat[];
  /** In-use bytes per allocation kind; sums to totals.inuseBytes. */
  inuseBytesByKind: Record<AllocKind, number>;
}

/** Growth of one allocation site between two profiles of the same process. */
export interface SiteGrowth {
  function: string;
  location?: string;
  kind: AllocKind;
  /** The site's `kindByFrames` in the profile its kind comes from. */
  kindByFrames?: boolean;
  firstInuseBytes: number;
  lastInuseBytes: number;
  inuseBytesDelta: number;
  inuseObjectsDelta: number;
}

export interface ProfileGrowth {
  fromMs?: number;
  toMs?: number;
  /** Sites sorted by inuseBytesDelta desc. */
  sites: SiteGrowth[];
  totalInuseBytesDelta: number;
}
