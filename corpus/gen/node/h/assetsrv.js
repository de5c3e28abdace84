// assetsrv.js: static asset / thumbnail server. Serves pre-rendered assets
// stored one file per object (--files files of --kb KiB in --dir, a working
// set several times the container's memory limit) with a fixed number of
// concurrent request loops, each reading a random asset with
// fs.promises.readFile (through the page cache, no mmap) and computing its
// ETag. Popularity is uniform, so the page cache cannot hold the working set:
// it fills the cgroup to its limit and is then continuously reclaimed and
// re-read, while the V8 heap and the process's anonymous memory stay small.
//
// usage: node assetsrv.js --dir DIR [--files 24000] [--concurrency 8]
//        node assetsrv.js --mkfiles --dir DIR [--files 24000] [--kb 16]

import { promises as fsp } from 'node:fs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';

const args = process.argv.slice(2);
function opt(name, def) {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
}
const dir = opt('--dir', '/tmp/h-assets');
const files = Number(opt('--files', 24000));
const kb = Number(opt('--kb', 16));
const concurrency = Number(opt('--concurrency', 8));

function name(i) {
  return path.join(dir, String(i % 100).padStart(2, '0'), `asset-${i}.webp`);
}

if (args.includes('--mkfiles')) {
  const buf = Buffer.alloc(kb * 1024);
  for (let d = 0; d < 100; d++) fs.mkdirSync(path.join(dir, String(d).padStart(2, '0')), { recursive: true });
  for (let i = 0; i < files; i++) {
    for (let k = 0; k < buf.length; k += 4) buf.writeUInt32LE((i * 2654435761 + k) >>> 0, k);
    const fd = fs.openSync(name(i), 'w');
    fs.writeSync(fd, buf);
    fs.closeSync(fd);
  }
  console.log(`wrote ${files} files of ${kb} KiB to ${dir}`);
  process.exit(0);
}

let served = 0;
let bytes = 0;
const start = Date.now();
async function loop() {
  for (;;) {
    const i = Math.floor(Math.random() * files);
    const data = await fsp.readFile(name(i));
    const etag = createHash('md5').update(data).digest('hex');
    if (etag.length) {
      served++;
      bytes += data.length;
    }
  }
}
for (let c = 0; c < concurrency; c++) loop();
setInterval(() => {
  const s = (Date.now() - start) / 1000;
  const m = process.memoryUsage();
  console.log(`t=${s.toFixed(0)}s served=${served} MiB=${(bytes / 1048576).toFixed(0)} rate=${(served / s).toFixed(0)}/s heapUsed=${(m.heapUsed / 1048576).toFixed(1)}MiB rss=${(m.rss / 1048576).toFixed(1)}MiB`);
}, 5000);
