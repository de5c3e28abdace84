// sessionizer: builds clickstream sessions from an event feed. Events are
// grouped per visitor into a session object (an array of event records plus
// counters) kept in a Map; a session is closed after 30 minutes without
// events, and closed sessions are emitted to the warehouse at the end of the
// day, so the Map keeps every session seen today.
//
// usage: node sessionizer.js [--events-per-sec 30000] [--visitors 5000000]
'use strict';

function arg(name, dflt) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}
const eventsPerSec = arg('--events-per-sec', 30000);
const visitors = arg('--visitors', 5000000);
const tickMs = 50;

const pages = [];
for (let i = 0; i < 2000; i++) pages.push('/catalog/' + (i % 40) + '/item-' + i);
const agents = ['Mozilla/5.0 (X11; Linux x86_64)', 'Mozilla/5.0 (Macintosh)', 'Mozilla/5.0 (iPhone)', 'okhttp/4.12'];

const sessions = new Map();
let seq = 0;
let state = 0x2545f491;
function rnd() { state ^= state << 13; state ^= state >>> 17; state ^= state << 5; return (state >>> 0) / 4294967296; }

function nextEvent(now) {
  seq++;
  return {
    id: seq,
    ts: now,
    visitor: 'v' + Math.floor(rnd() * visitors).toString(36),
    page: pages[Math.floor(rnd() * pages.length)],
    referrer: rnd() < 0.3 ? 'https://search.example.com/?q=' + seq.toString(36) : null,
    agent: agents[seq & 3],
    dwellMs: Math.floor(rnd() * 20000),
  };
}

function addEvent(ev) {
  let s = sessions.get(ev.visitor);
  if (s === undefined || ev.ts - s.last > 30 * 60 * 1000) {
    s = { visitor: ev.visitor, first: ev.ts, last: ev.ts, events: [], pages: 0, dwell: 0 };
    sessions.set(ev.visitor, s);
  }
  s.events.push(ev);
  s.last = ev.ts;
  s.pages++;
  s.dwell += ev.dwellMs;
}

let lastLog = Date.now();
setInterval(() => {
  const now = Date.now();
  const n = Math.floor(eventsPerSec * tickMs / 1000);
  for (let i = 0; i < n; i++) addEvent(nextEvent(now));
  if (now - lastLog >= 5000) {
    lastLog = now;
    const m = process.memoryUsage();
    console.log(`sessionizer: events=${seq} sessions=${sessions.size} rss=${(m.rss / 1048576).toFixed(0)}MiB heapUsed=${(m.heapUsed / 1048576).toFixed(0)}MiB`);
  }
}, tickMs);
