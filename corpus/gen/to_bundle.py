#!/usr/bin/env python3
"""Convert raw captures (out/<name>/, as written by bin/harness) into incident bundles in the
layout of DESIGN.md (bundles/<name>/), scrubbing local paths. Labels go to labels.json,
outside the bundles, so nothing in a bundle names its answer.

usage: python3 to_bundle.py [--cases out] [--out bundles] [--expected labels.json] [name ...]"""
import gzip, json, os, re, shutil, sys

HERE = os.path.dirname(os.path.abspath(__file__))
CASES, OUT = os.path.join(HERE, 'out'), os.path.join(HERE, 'bundles')
LABELS = {'go_map_leak': 'go-map-leak', 'go_slice_overcap': 'go-slice-overcap',
          'go_goroutine_leak': 'go-goroutine-leak', 'go_gc_thrash': 'go-gc-thrash',
          'go_heap_fragmentation': 'go-heap-fragmentation', 'jvm_offheap': 'jvm-offheap',
          'kswapd_pressure': 'kswapd-pressure', 'healthy': 'healthy', 'cgroup_oom_kill': 'cgroup-oom-kill',
          'go_no_memlimit': 'go-no-memlimit'}

WORKROOT = re.escape(os.path.dirname(os.path.dirname(HERE)))  # the folder that holds the repos

def scrub(text):
    text = re.sub(WORKROOT + r'/[A-Za-z0-9_./-]*/bin/', '/usr/local/bin/', text)
    text = re.sub(WORKROOT + r'/[A-Za-z0-9_./-]*', '/srv/app', text)
    text = re.sub(r'/tmp/', '/run/', text)
    return text

def _varint(buf, i):
    v = shift = 0
    while True:
        b = buf[i]
        i += 1
        v |= (b & 0x7f) << shift
        if b < 0x80:
            return v, i
        shift += 7

def _enc_varint(v):
    out = bytearray()
    while True:
        b = v & 0x7f
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)

def scrub_pprof(data):
    """Apply scrub() to the string table (field 6 of the top-level Profile message) of a gzipped
    pprof profile. Every other field is copied byte for byte; nested messages refer to strings
    by index, so they stay valid."""
    raw = gzip.decompress(data)
    out, i = bytearray(), 0
    while i < len(raw):
        key, j = _varint(raw, i)
        field, wt = key >> 3, key & 7
        if wt == 0:
            _, k = _varint(raw, j)
        elif wt == 1:
            k = j + 8
        elif wt == 5:
            k = j + 4
        elif wt == 2:
            n, j = _varint(raw, j)
            k = j + n
            if field == 6:
                s = raw[j:k].decode('utf-8')
                t = scrub(s)
                if t != s:
                    b = t.encode('utf-8')
                    out += _enc_varint(key) + _enc_varint(len(b)) + b
                    i = k
                    continue
        else:
            raise ValueError('unexpected wire type %d in profile' % wt)
        out += raw[i:k]
        i = k
    return gzip.compress(bytes(out), mtime=0)

def write(path, text, mode='w'):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as f:
        f.write(text)

def jsonl(path):
    if not os.path.exists(path):
        return []
    return [json.loads(l) for l in open(path) if l.strip()]

RUNTIME_ENV = ('GOGC', 'GOMEMLIMIT', 'GODEBUG', 'GOMAXPROCS')
# Bundles packed before 2026-12-06 carry no env (the collector did not read it then); set
# RECORD_ENV=1 to record it, as pack.sh does for new captures.
RECORD_ENV = os.environ.get('RECORD_ENV') == '1'

def convert(name):
    src, dst = os.path.join(CASES, name), os.path.join(OUT, name)
    shutil.rmtree(dst, ignore_errors=True)
    os.makedirs(dst)
    meta = json.load(open(os.path.join(src, 'meta.json')))
    for f, to in (('gctrace.log', 'gctrace.log'), ('heap.txt', 'heap.txt'), ('gc.log', 'jvm-gc.log'), ('dmesg.txt', 'dmesg.txt')):
        p = os.path.join(src, f)
        if os.path.exists(p):
            write(os.path.join(dst, to), scrub(open(p, errors='replace').read()))
    for f in ('heap.pb.gz',):
        p = os.path.join(src, f)
        if os.path.exists(p):
            write(os.path.join(dst, f), scrub_pprof(open(p, 'rb').read()), 'wb')
    pdir = os.path.join(src, 'pprof')
    if os.path.isdir(pdir):
        for f in sorted(os.listdir(pdir)):
            ts = f.replace('heap-', '').replace('.pb.gz', '')
            if ts.isdigit():
                write(os.path.join(dst, 'pprof', ts + '.pb.gz'), scrub_pprof(open(os.path.join(pdir, f), 'rb').read()), 'wb')
    p = os.path.join(src, 'memstats.jsonl')
    if os.path.exists(p):
        write(os.path.join(dst, 'memstats.jsonl'), scrub(open(p).read()))
    for rec in jsonl(os.path.join(src, 'cgroup.jsonl')):
        for fname, text in rec.get('files', {}).items():
            fname = fname.replace('cgroup2:', '')
            write(os.path.join(dst, 'cgroup', str(rec['ts']), fname), text)
    for rec in jsonl(os.path.join(src, 'host.jsonl')):
        for fname, text in rec.get('files', {}).items():
            base = {'/proc/vmstat': 'vmstat', '/proc/pressure/memory': 'pressure-memory', '/proc/pressure/io': 'pressure-io'}.get(fname)
            if base:
                write(os.path.join(dst, 'proc', str(rec['ts']), base), text)
    for rec in jsonl(os.path.join(src, 'proc.jsonl')):
        for fname, text in rec.get('files', {}).items():
            base = os.path.basename(fname)
            if base in ('status', 'smaps_rollup'):
                write(os.path.join(dst, 'proc', str(rec['ts']), base), text)
    # Goroutine counts from the goroutine profile the harness takes with every heap profile
    # ("goroutine profile: total N", the first line of /debug/pprof/goroutine?debug=1).
    counts = []
    for rec in jsonl(os.path.join(src, 'goroutines.jsonl')):
        m = re.match(r'goroutine profile: total (\d+)', rec.get('first_line', ''))
        if m:
            counts.append(json.dumps({'ts': rec['ts'], 'goroutines': int(m.group(1))}))
    if counts:
        write(os.path.join(dst, 'goroutines.jsonl'), '\n'.join(counts) + '\n')
    nmt = os.path.join(src, 'nmt')
    if os.path.isdir(nmt):
        for f in sorted(os.listdir(nmt)):
            write(os.path.join(dst, 'nmt', f if f.endswith('.txt') else f + '.txt'), scrub(open(os.path.join(nmt, f)).read()))
    for rec in jsonl(os.path.join(src, 'nmt.jsonl')):
        write(os.path.join(dst, 'nmt', f"{rec['ts']}.txt"), scrub(rec.get('text') or rec.get('summary') or ''))
    runtime = meta.get('go_version') or meta.get('java_version') or ''
    argv = meta.get('workload_argv') or ['app']
    service = os.path.basename(argv[0]) if argv[0] not in ('java',) else 'java-app'
    # The Go runtime's own settings from the workload's environment, as `memtriage collect` records
    # them from /proc/<pid>/environ (only these keys: the rest of an environment may hold secrets).
    env = dict(e.split('=', 1) for e in (meta.get('workload_env') or []) if '=' in e)
    env = {k: v for k, v in env.items() if k in RUNTIME_ENV}
    out_meta = {
        'service': service, 'runtime': runtime,
        'cgroupLimitBytes': meta.get('cgroup_limit_bytes'),
        'startUnixMs': meta.get('start_unix_ms'), 'endUnixMs': meta.get('end_unix_ms')}
    if RECORD_ENV and runtime.startswith('go'):
        out_meta['env'] = env
    write(os.path.join(dst, 'meta.json'), json.dumps(out_meta, indent=2) + '\n')
    return LABELS.get(meta.get('expected_root_cause'), meta.get('expected_root_cause'))

if __name__ == '__main__':
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument('--cases', default=CASES); ap.add_argument('--out', default=OUT)
    ap.add_argument('--expected', default=os.path.join(HERE, 'labels.json'))
    ap.add_argument('names', nargs='*')
    a = ap.parse_args()
    CASES, OUT = a.cases, a.out
    names = a.names or sorted(os.listdir(CASES))
    expected = {}
    for n in names:
        if os.path.exists(os.path.join(CASES, n, 'meta.json')):
            expected[n] = convert(n)
    ep = a.expected
    old = json.load(open(ep)) if os.path.exists(ep) else {}
    old.update(expected)
    write(ep, json.dumps(old, indent=2, sort_keys=True) + '\n')
    print(json.dumps(expected, indent=2))
