import type { AllocKind } from './types.js';

/**
 * Function-name tables for Go heap-profile stacks: which frames are allocation machinery
 * (skipped when naming the allocation site) and which frames say what kind of object was
 * allocated.
 *
 * What Go really writes: `runtime/pprof` drops the leading `runtime.*` frames of every stack
 * (`hideRuntime` in src/runtime/pprof/protomem.go, Go 1.9+), so `runtime.makemap`,
 * `runtime.growslice`, `runtime.mapassign_fast64` … are NOT visible in a normal Go profile:
 * the allocation is charged to the user line that called them. They do show in stacks that
 * are runtime-only (`runtime.malg` for goroutine descriptors) and in profiles written by
 * other tools, so they are listed. Functions outside package runtime that wrap allocation
 * (`bytes.growSlice`, `strings.(*Builder).grow`, linknamed `reflect.mapassign`, Go 1.24's
 * `internal/runtime/maps.*`) survive and are the most useful frame signals.
 */

/** Functions whose name starts like this belong to the Go runtime (hidden by Go's writer when leading). */
export function isRuntimeFrame(name: string): boolean {
  return name.startsWith('runtime.') || name.startsWith('internal/runtime/');
}

/**
 * Standard-library code that allocates on behalf of its caller. The allocation site is the
 * first frame past these: the code a developer would open. Kept small on purpose; anything
 * not listed (`time.NewTimer`, `compress/flate.NewWriter`, `net/http.readRequest`) is itself
 * reported as the site, because there the library's own object is what is held.
 * - whole packages whose allocations always serve the caller's data: `fmt`, `strconv`,
 *   `encoding/json` (decode and encode state, scanners), `reflect` (used by those codecs),
 *   `slices`, `maps`;
 * - buffer and string-building helpers of `bytes` and `strings`;
 * - whole-input readers `io.ReadAll`, `os.ReadFile` and the bufio constructors.
 */
const HELPER_PREFIXES = [
  'fmt.',
  'strconv.',
  'encoding/json.',
  'reflect.',
  'slices.',
  'maps.',
  'bytes.(*Buffer).',
  'strings.(*Builder).',
];
const HELPER_NAMES = new Set([
  'bytes.growSlice',
  'bytes.genSplit',
  'bytes.Split',
  'bytes.SplitN',
  'bytes.Repeat',
  'bytes.Join',
  'bytes.Clone',
  'bytes.NewBuffer',
  'bytes.NewBufferString',
  'strings.genSplit',
  'strings.Split',
  'strings.SplitN',
  'strings.Fields',
  'strings.Repeat',
  'strings.Join',
  'strings.Clone',
  'io.ReadAll',
  'os.ReadFile',
  'bufio.NewReader',
  'bufio.NewReaderSize',
  'bufio.NewWriter',
  'bufio.NewWriterSize',
]);

/** True for runtime frames and the standard allocation helpers above. */
export function isAllocHelper(name: string): boolean {
  if (isRuntimeFrame(name) || HELPER_NAMES.has(name)) return true;
  for (const p of HELPER_PREFIXES) if (name.startsWith(p)) return true;
  return false;
}

/**
 * Frames that name the kind of the allocation. Sources: src/runtime/map.go, slice.go,
 * string.go, proc.go (Go 1.19); `reflect.*` entries are runtime functions linknamed into
 * package reflect (map.go `reflect_mapassign` → `reflect.mapassign`), so their names do
 * not start with `runtime.` and survive hideRuntime. `other` entries stop the scan so that
 * an outer helper (`fmt.Sprintf`) does not claim an inner object (the pooled printer).
 */
const KIND_BY_NAME = new Map<string, AllocKind>([
  // map creation and growth (pre-1.24 hmap; bucket arrays, overflow buckets)
  ...[
    'runtime.makemap',
    'runtime.makemap64',
    'runtime.makemap_small',
    'runtime.makeBucketArray',
    'runtime.hashGrow',
    'runtime.growWork',
    'runtime.evacuate',
    'runtime.(*hmap).newoverflow',
    'runtime.mapassign',
    'runtime.mapassign_fast32',
    'runtime.mapassign_fast32ptr',
    'runtime.mapassign_fast64',
    'runtime.mapassign_fast64ptr',
    'runtime.mapassign_faststr',
    'reflect.makemap',
    'reflect.mapassign',
    'reflect.mapassign_faststr',
    'reflect.MakeMap',
    'reflect.MakeMapWithSize',
    'maps.Clone',
    'maps.Copy',
    'maps.Collect',
    'maps.Insert',
  ].map((n): [string, AllocKind] => [n, 'map']),
  // slice backing arrays
  ...[
    'runtime.growslice',
    'runtime.makeslice',
    'runtime.makeslice64',
    'runtime.makeslicecopy',
    'reflect.growslice',
    'reflect.unsafe_NewArray',
    'reflect.MakeSlice',
    'reflect.Append',
    'reflect.AppendSlice',
    'bytes.growSlice',
    'bytes.(*Buffer).grow',
    'bytes.(*Buffer).Grow',
    'bytes.genSplit',
    'bytes.Repeat',
    'bytes.Join',
    'bytes.Clone',
    'strings.genSplit',
    'strings.Fields',
    'slices.Grow',
    'slices.Clone',
    'slices.Insert',
    'slices.Collect',
    'io.ReadAll',
    'os.ReadFile',
    'bufio.NewReaderSize',
    'bufio.NewWriterSize',
  ].map((n): [string, AllocKind] => [n, 'slice']),
  // string data: conversions, concatenation, builders, formatting results
  ...[
    'runtime.slicebytetostring',
    'runtime.slicerunetostring',
    'runtime.concatstrings',
    'runtime.concatstring2',
    'runtime.concatstring3',
    'runtime.concatstring4',
    'runtime.concatstring5',
    'runtime.rawstring',
    'runtime.rawstringtmp',
    'runtime.rawbyteslice',
    'runtime.rawruneslice',
    'runtime.stringtoslicebyte',
    'runtime.stringtoslicerune',
    'runtime.intstring',
    'strings.(*Builder).grow',
    'strings.(*Builder).Grow',
    'strings.(*Builder).WriteString',
    'strings.(*Builder).WriteByte',
    'strings.(*Builder).WriteRune',
    'strings.(*Builder).Write',
    'strings.Repeat',
    'strings.Join',
    'strings.Clone',
    'strconv.Itoa',
    'strconv.FormatInt',
    'strconv.FormatUint',
    'strconv.FormatFloat',
    'strconv.Quote',
    'fmt.Sprintf',
    'fmt.Sprint',
    'fmt.Sprintln',
  ].map((n): [string, AllocKind] => [n, 'string']),
  // goroutine creation: the g descriptor (its stack memory is not heap and not in the profile)
  ['runtime.malg', 'stack'],
  ['runtime.newproc1', 'stack'],
  // pooled printer state of package fmt: not the caller's string
  ['fmt.newPrinter', 'other'],
]);

/** Kind named by one frame, or undefined when the frame says nothing. */
export function frameKind(name: string): AllocKind | undefined {
  const k = KIND_BY_NAME.get(name);
  if (k !== undefined) return k;
  if (name.startsWith('internal/runtime/maps.')) return 'map'; // Go 1.24+ Swiss tables
  if (name.startsWith('fmt.(*buffer).')) return 'slice';
  return undefined;
}
