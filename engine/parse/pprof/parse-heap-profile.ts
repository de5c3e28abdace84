import { gunzipSync } from 'node:zlib';
import type { ParseResult, ParseWarning } from '../types.js';
import { classifyBySize } from './classify-alloc.js';
import { ProfileDecodeError, ProfileLimitError, SampleRecord, decodeProfile } from './decode-profile.js';
import type { RawProfile } from './decode-profile.js';
import { SiteResolver } from './site-resolver.js';
import type { Frame } from './site-resolver.js';
import { ALLOC_KINDS } from './types.js';
import type { AllocKind, HeapProfile, SiteStat } from './types.js';

/** The heap sample types Go writes, in its order (src/runtime/pprof/protomem.go). */
const HEAP_TYPES = ['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space'] as const;

/**
 * Largest uncompressed profile accepted (gzip bombs are untrusted input too). Go heap profiles
 * are a few MB even at MemProfileRate = 1. Counts of entries are capped too (PROFILE_LIMITS in
 * decode-profile.ts): a small buffer of empty samples is the other kind of bomb.
 */
export const MAX_PROFILE_BYTES = 64 * 2 ** 20;

/**
 * Decoded profile bytes one incident may spend over all its profiles (heap.pb.gz, pprof/*.pb.gz,
 * whether a target served them or a webhook brought them inline). Four full-size profiles; a
 * real incident's handful of profiles uses a few percent of it.
 */
export const MAX_INCIDENT_PROFILE_BYTES = 256 * 2 ** 20;

/** What is left of an incident's decoded-bytes budget; parseHeapProfile spends from it. */
export class DecodeBudget {
  constructor(public remaining: number = MAX_INCIDENT_PROFILE_BYTES) {}
}

/** Position of each kind in ALLOC_KINDS, for the dense per-line arrays. */
const KIND_INDEX = Object.fromEntries(ALLOC_KINDS.map((k, i) => [k, i])) as Record<AllocKind, number>;

function zeroKinds(): Record<AllocKind, number> {
  return { map: 0, slice: 0, string: 0, stack: 0, other: 0 };
}

/** The profile of "no profile": zero totals, no sites, `valid: false`. */
export function emptyHeapProfile(): HeapProfile {
  return {
    valid: false,
    sampleTypes: [],
    totals: { inuseBytes: 0, inuseObjects: 0, allocBytes: 0, allocObjects: 0 },
    sites: [],
    inuseBytesByKind: zeroKinds(),
  };
}

function invalid(message: string): ParseResult<HeapProfile> {
  return { value: emptyHeapProfile(), warnings: [{ message }] };
}

/**
 * Parses a Go heap profile (`/debug/pprof/heap`, `pprof.WriteHeapProfile`): gzip-compressed
 * or raw protobuf, detected by the gzip magic bytes `1f 8b` (formats.md §3.1). Never throws:
 * unreadable input gives a warning and an empty profile with `valid: false`.
 *
 * Sites are flat by allocation site: for each sample, the first frame (innermost first,
 * inlined frames included) that is neither `runtime.*` nor a standard allocation helper
 * (frame-tables.ts) — the code a developer would open. Unlike `go tool pprof -top`, which is
 * flat by leaf function, `fmt.Sprintf` inside `main.loadCatalog` is charged to `loadCatalog`.
 * A site is one function; its `location` is its heaviest line.
 */
export function parseHeapProfile(
  bytes: Uint8Array,
  budget: DecodeBudget = new DecodeBudget(),
): ParseResult<HeapProfile> {
  if (bytes.length === 0) return invalid('empty heap profile');
  let buf = bytes;
  const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const cap = Math.min(MAX_PROFILE_BYTES, budget.remaining);
  const overBudget = (size: string) =>
    invalid(
      `heap profile: ${size} would pass the incident's budget of ${MAX_INCIDENT_PROFILE_BYTES} decoded ` +
        `profile bytes (${budget.remaining} left); not read`,
    );
  if (gzipped) {
    try {
      buf = gunzipSync(bytes, { maxOutputLength: Math.max(cap, 1) });
    } catch (err) {
      if (cap < MAX_PROFILE_BYTES && (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        budget.remaining = 0;
        return overBudget('its decompressed content');
      }
      return invalid(
        `heap profile: cannot gunzip (${(err as Error).message}); truncated, corrupt or too large`,
      );
    }
  } else if (bytes.length > MAX_PROFILE_BYTES) {
    return invalid(`heap profile: ${bytes.length} bytes, more than the ${MAX_PROFILE_BYTES}-byte limit`);
  } else if (bytes.length > budget.remaining) {
    return overBudget(`${bytes.length} bytes`);
  }
  budget.remaining -= buf.length;
  const what = gzipped ? 'gzip content is not a pprof protobuf' : 'neither gzip nor a pprof protobuf';
  let raw: RawProfile;
  try {
    raw = decodeProfile(buf);
  } catch (err) {
    if (err instanceof ProfileLimitError) return invalid(`heap profile not used: ${err.message}`);
    return invalid(`heap profile: ${what} (${(err as Error).message})`);
  }
  try {
    return buildHeapProfile(raw);
  } catch (err) {
    // Location ids are decoded lazily (decode-profile.ts), so a bad packed run surfaces here.
    // Anything else is a bug, but bad input must not crash the caller: report it as a warning.
    const why = err instanceof ProfileDecodeError ? 'malformed sample' : 'unexpected error';
    return invalid(`heap profile: ${why} (${(err as Error).message})`);
  }
}

function buildHeapProfile(raw: RawProfile): ParseResult<HeapProfile> {
  const warnings: ParseWarning[] = [];
  let badString = false;
  const str = (i: number): string => {
    const s = raw.strings[i];
    if (s === undefined) badString = true;
    return s ?? '';
  };
  const typeNames = raw.sampleTypes.map(([t]) => str(t));
  const idx = HEAP_TYPES.map((t) => typeNames.indexOf(t)) as [number, number, number, number];
  const present = HEAP_TYPES.filter((_, i) => idx[i]! >= 0);
  if (present.length === 0) {
    const found = typeNames.length ? typeNames.join(', ') : 'none';
    return invalid(`not a heap profile: no alloc_/inuse_ sample types (found: ${found})`);
  }
  if (idx[3] < 0)
    warnings.push({ message: 'heap profile has no inuse_space sample type: in-use bytes are unknown' });

  const sites = new SiteResolver(raw, str);
  const groups = new SampleGroups();
  const n = raw.sampleCount;
  const rec = new SampleRecord();
  /** Go's own layout: exactly the four heap types, in Go's order. */
  const goOrder = raw.sampleTypes.length === 4 && idx.every((x, i) => x === i);
  let badValues = 0;
  for (let i = 0; i < n; i++) {
    raw.readSample(i, rec);
    sites.resolve(i, rec.leafLocation);
    const v = rec.values;
    let ao: number, ab: number, io: number, ib: number;
    if (goOrder && rec.valueCount === 4) {
      ao = v[0]!;
      ab = v[1]!;
      io = v[2]!;
      ib = v[3]!;
    } else {
      if (rec.valueCount !== raw.sampleTypes.length) badValues++;
      ao = sampleValue(rec, idx[0]);
      ab = sampleValue(rec, idx[1]);
      io = sampleValue(rec, idx[2]);
      ib = sampleValue(rec, idx[3]);
    }
    if (ao < 0 || ab < 0 || io < 0 || ib < 0) {
      badValues++;
      ao = Math.max(ao, 0);
      ab = Math.max(ab, 0);
      io = Math.max(io, 0);
      ib = Math.max(ib, 0);
    }
    const size = rec.bytesLabel > 0 ? rec.bytesLabel : ao > 0 ? ab / ao : io > 0 ? ib / io : NaN;
    groups.add(sites.site.lineId, sites.kind, size, ao, ab, io, ib);
  }
  if (sites.missingLocations) {
    warnings.push({ message: `${sites.missingLocations} sample location id(s) not defined in the profile` });
  }
  if (sites.missingFunctions) {
    warnings.push({ message: `${sites.missingFunctions} line(s) refer to undefined function ids` });
  }
  if (badValues) warnings.push({ message: `${badValues} sample(s) with missing, extra or negative values` });
  if (badString) warnings.push({ message: 'string index out of range in the string table' });

  // Classification depends only on (line, frame kind, object size): classify groups, not samples.
  const kinds = classifyBySize(groups.frameKind, groups.line, groups.size);
  const lineCount = sites.lines.length;
  const lineVals = new Float64Array(lineCount * 4);
  const lineKinds = new Float64Array(lineCount * 2 * ALLOC_KINDS.length);
  // The same, counting only bytes whose kind a frame named (not the object-size rules).
  const lineFramed = new Float64Array(lineCount * 2 * ALLOC_KINDS.length);
  const totals = { inuseBytes: 0, inuseObjects: 0, allocBytes: 0, allocObjects: 0 };
  const inuseBytesByKind = zeroKinds();
  const v = groups.vals;
  for (let g = 0; g < kinds.length; g++) {
    const line = groups.line[g]!;
    const kind = kinds[g]!;
    for (let t = 0; t < 4; t++) lineVals[4 * line + t]! += v[4 * g + t]!;
    const k = 2 * (line * ALLOC_KINDS.length + KIND_INDEX[kind]);
    lineKinds[k]! += v[4 * g + 3]!;
    lineKinds[k + 1]! += v[4 * g + 1]!;
    if (groups.frameKind[g] !== undefined) {
      lineFramed[k]! += v[4 * g + 3]!;
      lineFramed[k + 1]! += v[4 * g + 1]!;
    }
    totals.allocObjects += v[4 * g]!;
    totals.allocBytes += v[4 * g + 1]!;
    totals.inuseObjects += v[4 * g + 2]!;
    totals.inuseBytes += v[4 * g + 3]!;
    inuseBytesByKind[kind] += v[4 * g + 3]!;
  }
  const value: HeapProfile = {
    valid: true,
    sampleTypes: [...present],
    totals,
    sites: groupSites(sites.lines, lineVals, lineKinds, lineFramed, groups.line),
    inuseBytesByKind,
  };
  if (raw.timeNanos !== undefined && raw.timeNanos > 0) value.timeMs = Math.floor(raw.timeNanos / 1e6);
  return { value, warnings };
}

/**
 * Samples summed by (site line, frame kind, object size) — all the classifier looks at. A
 * MemProfileRate=1 profile has ~16k samples but a few hundred such groups.
 */
class SampleGroups {
  line: number[] = [];
  frameKind: Array<AllocKind | undefined> = [];
  size: number[] = [];
  /** alloc_objects, alloc_space, inuse_objects, inuse_space of group g at 4g…4g+3. */
  vals = new Float64Array(0);
  private readonly index = new Map<number, Map<number, number>>();

  /** Adds one sample's values to the group of (line, frame kind, object size). */
  add(
    line: number,
    kind: AllocKind | undefined,
    size: number,
    ao: number,
    ab: number,
    io: number,
    ib: number,
  ): void {
    const key = line * 8 + (kind === undefined ? 7 : KIND_INDEX[kind]);
    let bySize = this.index.get(key);
    if (!bySize) this.index.set(key, (bySize = new Map()));
    let g = bySize.get(size); // NaN is a valid Map key
    if (g === undefined) {
      g = this.line.length;
      bySize.set(size, g);
      this.line.push(line);
      this.frameKind.push(kind);
      this.size.push(size);
      if (4 * g + 4 > this.vals.length) {
        const next = new Float64Array(Math.max(64, this.vals.length * 2));
        next.set(this.vals);
        this.vals = next;
      }
    }
    const v = this.vals;
    v[4 * g] = v[4 * g]! + ao;
    v[4 * g + 1] = v[4 * g + 1]! + ab;
    v[4 * g + 2] = v[4 * g + 2]! + io;
    v[4 * g + 3] = v[4 * g + 3]! + ib;
  }
}

function sampleValue(rec: SampleRecord, at: number): number {
  return at >= 0 && at < rec.valueCount ? rec.values[at]! : 0;
}

/** Groups source lines into sites by function; a site's location is its heaviest line. */
function groupSites(
  lineFrames: readonly Frame[],
  lineVals: Float64Array,
  lineKinds: Float64Array,
  lineFramed: Float64Array,
  usedLines: ArrayLike<number>,
): SiteStat[] {
  const used = new Uint8Array(lineFrames.length);
  for (let i = 0; i < usedLines.length; i++) used[usedLines[i]!] = 1;
  const byFn = new Map<string, number[]>();
  for (let l = 0; l < lineFrames.length; l++) {
    if (!used[l]) continue;
    const name = lineFrames[l]!.name;
    const list = byFn.get(name);
    if (list) list.push(l);
    else byFn.set(name, [l]);
  }
  const sites: SiteStat[] = [];
  const nk = ALLOC_KINDS.length;
  for (const [name, group] of byFn) {
    const stat: SiteStat = { function: name, inuseBytes: 0, inuseObjects: 0, allocBytes: 0, allocObjects: 0 };
    const byKind = new Float64Array(2 * nk);
    const framed = new Float64Array(2 * nk);
    let heaviest = -1;
    for (const l of group) {
      stat.allocObjects += lineVals[4 * l]!;
      stat.allocBytes += lineVals[4 * l + 1]!;
      stat.inuseObjects += lineVals[4 * l + 2]!;
      stat.inuseBytes += lineVals[4 * l + 3]!;
      for (let j = 0; j < 2 * nk; j++) {
        byKind[j]! += lineKinds[2 * nk * l + j]!;
        framed[j]! += lineFramed[2 * nk * l + j]!;
      }
      if (!lineFrames[l]!.file) continue;
      const h = 4 * heaviest;
      if (
        heaviest < 0 ||
        lineVals[4 * l + 3]! > lineVals[h + 3]! ||
        (lineVals[4 * l + 3] === lineVals[h + 3] && lineVals[4 * l + 1]! > lineVals[h + 1]!)
      ) {
        heaviest = l;
      }
    }
    if (heaviest >= 0) {
      const f = lineFrames[heaviest]!;
      stat.location = f.line > 0 ? `${f.file}:${f.line}` : f.file;
    }
    // Dominant kind by in-use bytes; by allocated bytes for a site that holds nothing now.
    const col = stat.inuseBytes > 0 ? 0 : 1;
    let best = -1;
    for (let k = 0; k < nk; k++) {
      if (byKind[2 * k + col]! > 0 && (best < 0 || byKind[2 * k + col]! > byKind[2 * best + col]!)) best = k;
    }
    stat.kind = best >= 0 ? ALLOC_KINDS[best]! : 'other';
    if (best >= 0 && framed[2 * best + col]! * 2 >= byKind[2 * best + col]!) stat.kindByFrames = true;
    sites.push(stat);
  }
  sites.sort(
    (x, y) =>
      y.inuseBytes - x.inuseBytes || y.allocBytes - x.allocBytes || (x.function < y.function ? -1 : 1),
  );
  return sites;
}
