import { describe, expect, it } from 'vitest';
import { frameKind, isAllocHelper, isRuntimeFrame } from '../../../engine/parse/pprof/frame-tables.js';

describe('frame tables', () => {
  it('treats runtime and standard allocation helpers as not-the-site', () => {
    for (const name of [
      'runtime.mallocgc',
      'internal/runtime/maps.newarray',
      'bytes.growSlice',
      'bytes.(*Buffer).grow',
      'strings.(*Builder).grow',
      'fmt.Sprintf',
      'strconv.formatBits',
      'encoding/json.(*decodeState).literalStore',
      'reflect.mapassign_faststr',
      'io.ReadAll',
    ]) {
      expect(isAllocHelper(name), name).toBe(true);
    }
  });

  it('keeps library objects that are themselves what is held, and user code, as sites', () => {
    for (const name of [
      'main.(*seenRequests).remember',
      'time.NewTimer',
      'compress/flate.NewWriter',
      'net/http.readRequest',
      'runtime/pprof.writeHeapInternal',
      'bytes.Equal',
    ]) {
      expect(isAllocHelper(name), name).toBe(false);
    }
    expect(isRuntimeFrame('runtime/pprof.writeHeap')).toBe(false);
    expect(isRuntimeFrame('runtime.malg')).toBe(true);
  });

  it('names kinds from frames', () => {
    expect(frameKind('runtime.hashGrow')).toBe('map');
    expect(frameKind('internal/runtime/maps.(*table).grow')).toBe('map');
    expect(frameKind('reflect.mapassign_faststr')).toBe('map');
    expect(frameKind('runtime.growslice')).toBe('slice');
    expect(frameKind('bytes.growSlice')).toBe('slice');
    expect(frameKind('bytes.genSplit')).toBe('slice');
    expect(frameKind('fmt.(*buffer).writeString')).toBe('slice');
    expect(frameKind('runtime.slicebytetostring')).toBe('string');
    expect(frameKind('strings.(*Builder).grow')).toBe('string');
    expect(frameKind('fmt.Sprintf')).toBe('string');
    expect(frameKind('runtime.malg')).toBe('stack');
    expect(frameKind('fmt.newPrinter')).toBe('other');
    expect(frameKind('main.readChunk')).toBeUndefined();
    expect(frameKind('time.NewTimer')).toBeUndefined();
  });
});
