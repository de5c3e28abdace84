// logfwd.js: log forwarder sidecar. Tails the application's log stream (here
// a generator producing 64 KiB chunks of JSON log lines at -rate MiB/s) and
// forwards it to a remote collector through a Writable stream. The collector
// link is slow (each chunk is acknowledged after -ack-ms), but the forwarder
// ignores the return value of writable.write() and never waits for 'drain':
// Node's Writable queues every pending chunk in its internal buffer, and the
// chunks are Buffers whose memory lives outside the V8 heap. The process
// grows until the cgroup OOM killer kills it.
//
// usage: node logfwd.js [--rate-mb 10] [--chunk-kb 64] [--ack-ms 40]

import { Writable } from 'node:stream';

const args = process.argv.slice(2);
function opt(name, def) {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
}
const rateMb = opt('--rate-mb', 10);
const chunkKb = opt('--chunk-kb', 64);
const ackMs = opt('--ack-ms', 40);

let sent = 0;
let acked = 0;
const collector = new Writable({
  highWaterMark: 1 << 20,
  write(chunk, _enc, cb) {
    // network send + wait for the collector's ack
    setTimeout(() => {
      acked += chunk.length;
      cb();
    }, ackMs);
  },
});

const line = (i) =>
  JSON.stringify({ ts: new Date().toISOString(), level: i % 10 ? 'info' : 'warn', svc: 'checkout', msg: 'order placed', order: 'SO-' + i, latency_ms: i % 97 }) + '\n';

let seq = 0;
const chunkBytes = chunkKb << 10;
const perTick = (rateMb * (1 << 20)) / chunkBytes / 100; // chunks per 10 ms
let acc = 0;
setInterval(() => {
  for (acc += perTick; acc >= 1; acc--) {
    const buf = Buffer.allocUnsafe(chunkBytes);
    let off = 0;
    while (off < chunkBytes) {
      off += buf.write(line(seq++), off);
    }
    collector.write(buf); // BUG: return value (backpressure) ignored, no 'drain' wait
    sent += buf.length;
  }
}, 10);

setInterval(() => {
  const m = process.memoryUsage();
  console.log(
    `sent=${sent >> 20}MiB acked=${acked >> 20}MiB buffered=${collector.writableLength >> 20}MiB rss=${m.rss >> 20}MiB heapUsed=${m.heapUsed >> 20}MiB external=${m.external >> 20}MiB arrayBuffers=${m.arrayBuffers >> 20}MiB`
  );
}, 5000);
