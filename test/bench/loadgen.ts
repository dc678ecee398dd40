/**
 * Open-loop load at a fixed rate from its own process (so the server's latency is not hidden by
 * a slow client): `node --import tsx test/bench/loadgen.ts '<json config>'` prints latencies as JSON.
 */
import http from 'node:http';

interface Config { url: string; path: string; rate: number; seconds: number; kind: 'decide' | 'batch' | 'hello'; writeKey: string; profiles: number; seed: number; warmupSeconds?: number }
const cfg = JSON.parse(process.argv[2]) as Config;
/**
 * The load runs this long at the same rate before anything is recorded. A fresh client process
 * opens its connections and compiles its own hot path during its first second: measured from the
 * start, a tenth of the requests at 2,000/s took over 200 ms (and up to 2 s) with the server idle
 * between them — the client's cold start, not the server's latency.
 */
const WARMUP_MS = (cfg.warmupSeconds ?? 1) * 1000;
const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
const target = new URL(cfg.url);
let seed = cfg.seed;
const random = () => ((seed = (Math.imul(seed ^ (seed >>> 15), 2246822507) + 0x6d2b79f5) >>> 0) / 2 ** 32);
let counter = 0;

function body(): string {
  const a = `a${Math.floor(random() * cfg.profiles)}`;
  // The baseline: a decide's body, posted to a hello-world (test/bench/hello.ts) that parses and answers it.
  if (cfg.kind === 'decide' || cfg.kind === 'hello') return JSON.stringify({ writeKey: cfg.writeKey, anonymousId: a, placements: ['home-hero'], context: { path: '/c/coffee', locale: 'vi', device: 'mobile' } });
  const batch = Array.from({ length: 100 }, (_, i) => ({ type: 'track', event: 'Product Viewed', anonymousId: a, messageId: `lg-${cfg.seed}-${counter}-${i}`, properties: { category: 'coffee', price: 120000 } }));
  counter++;
  return JSON.stringify({ writeKey: cfg.writeKey, batch });
}

const latencies: number[] = [];
let errors = 0;
let inflight = 0;
function send() {
  const payload = body();
  const t0 = performance.now();
  const recorded = t0 - start >= WARMUP_MS;
  if (recorded) measuredSent++;
  inflight++;
  const req = http.request({ host: target.hostname, port: target.port, path: cfg.path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
    res.resume();
    res.on('end', () => {
      inflight--;
      if (!recorded) return;
      if (res.statusCode !== 200) errors++;
      else latencies.push(performance.now() - t0);
    });
  });
  req.on('error', () => { inflight--; if (recorded) errors++; });
  req.end(payload);
}

const start = performance.now();
let sent = 0;
/** Requests sent after the warm-up: the ones the figures count. */
let measuredSent = 0;
const end = WARMUP_MS + cfg.seconds * 1000;
const timer = setInterval(() => {
  const due = Math.floor(((performance.now() - start) / 1000) * cfg.rate);
  while (sent < due) { send(); sent++; }
  if (performance.now() - start > end) {
    clearInterval(timer);
    const wait = setInterval(() => {
      if (inflight > 0 && performance.now() - start < end + 10_000) return;
      clearInterval(wait);
      latencies.sort((x, y) => x - y);
      const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
      console.log(JSON.stringify({ sent: measuredSent, ok: latencies.length, errors, achievedRate: latencies.length / cfg.seconds, p50: q(0.5), p99: q(0.99), max: latencies.at(-1) }));
      agent.destroy();
    }, 50);
  }
}, 2);
