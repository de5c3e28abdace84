import { kindFromFrames } from './classify-alloc.js';
import type { RawProfile } from './decode-profile.js';
import { isAllocHelper, isRuntimeFrame } from './frame-tables.js';
import type { AllocKind } from './types.js';

/** One source line of a function: the unit sites and the classifier's "same line" rule use. */
export interface Frame {
  name: string;
  file: string;
  line: number;
  /** Dense id of (name, file, line), shared by every location on that line. */
  lineId: number;
}

/** Per-location facts, computed once however many samples share the location. */
interface LocInfo {
  frames: Frame[];
  /** First frame that is neither runtime nor a helper: the site, when the stack reaches it here. */
  site: Frame | undefined;
  /** First non-runtime frame (fallback site for stacks made only of helpers). */
  firstNonRuntime: Frame | undefined;
  /** Kind named by the frames up to the site (all frames when there is no site here). */
  kind: AllocKind | undefined;
}

/**
 * Finds each sample's allocation site: the first frame, innermost first and inlined frames
 * included, that is neither runtime nor a standard allocation helper (frame-tables.ts); else
 * the first non-runtime frame; else the leaf. Also returns the kind the frames up to it name.
 * Locations are resolved lazily and cached, and the walk stops at the site, so a sample's
 * deeper location ids are never decoded (see RawProfile.visitLocations).
 */
export class SiteResolver {
  /** Every source line met, indexed by `lineId`. */
  readonly lines: Frame[] = [];
  private readonly lineIds = new Map<string, number>();
  private readonly fnNames = new Map<number, [string, string]>();
  private readonly locCache = new Map<number, LocInfo>();
  private readonly noStack = this.frameOf('<no stack>', '', 0);
  missingLocations = 0;
  missingFunctions = 0;
  /** Result of the last `resolve`: the sample's site and the kind its frames name. */
  site: Frame = this.noStack;
  kind: AllocKind | undefined;
  private found: Frame | undefined;
  private fallback: Frame | undefined;
  private leaf: Frame | undefined;
  private readonly visit = (locId: number): boolean => {
    const info = this.locInfo(locId);
    this.leaf ??= info.frames[0];
    this.kind ??= info.kind;
    this.fallback ??= info.firstNonRuntime;
    this.found = info.site;
    return info.site !== undefined;
  };

  constructor(
    private readonly raw: RawProfile,
    str: (i: number) => string,
  ) {
    for (const [id, fn] of raw.functions) this.fnNames.set(id, [str(fn.name), str(fn.filename)]);
    // Every line's function id is checked (there are few locations); sample location ids only
    // as far as the site search reads them (decoding them all would double the parse time).
    for (const lines of raw.locations.values()) {
      for (const ln of lines) if (!this.fnNames.has(ln.functionId)) this.missingFunctions++;
    }
  }

  /** Sets `site` and `kind` for sample i, whose leaf location id is `first` (-1: no stack). */
  resolve(i: number, first: number): void {
    const info = first < 0 ? undefined : this.locInfo(first);
    if (info?.site) {
      // Fast path: the site is in the leaf location (nearly every sample).
      this.site = info.site;
      this.kind = info.kind;
      return;
    }
    this.found = this.fallback = this.leaf = this.kind = undefined;
    this.raw.visitLocations(i, this.visit);
    this.site = this.found ?? this.fallback ?? this.leaf ?? this.noStack;
  }

  private frameOf(name: string, file: string, line: number): Frame {
    const key = `${name}\u0000${file}\u0000${line}`;
    const id = this.lineIds.get(key);
    if (id !== undefined) return this.lines[id]!;
    const frame: Frame = { name, file, line, lineId: this.lines.length };
    this.lineIds.set(key, frame.lineId);
    this.lines.push(frame);
    return frame;
  }

  private locInfo(locId: number): LocInfo {
    let info = this.locCache.get(locId);
    if (info) return info;
    const lines = this.raw.locations.get(locId);
    if (!lines) this.missingLocations++;
    const frames = (lines ?? []).map((ln) => {
      const fn = this.fnNames.get(ln.functionId);
      return this.frameOf(fn?.[0] ?? '<unknown function>', fn?.[1] ?? '', ln.line);
    });
    if (frames.length === 0)
      frames.push(this.frameOf(lines ? '<unsymbolized>' : '<unknown location>', '', 0));
    info = { frames, site: undefined, firstNonRuntime: undefined, kind: undefined };
    for (const f of frames) {
      info.kind ??= kindFromFrames([f.name]);
      if (!isRuntimeFrame(f.name)) info.firstNonRuntime ??= f;
      if (!isAllocHelper(f.name)) {
        info.site = f;
        break;
      }
    }
    this.locCache.set(locId, info);
    return info;
  }
}
