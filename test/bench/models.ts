/**
 * Value-model benchmark on the CDNOW master file (23,570 customers, 69,659 orders).
 * Run: npx tsx test/bench/models.ts
 * Prints parse time, fitShopModel time (median of runs; BG/NBD + Gamma-Gamma + every customer's
 * CLV, cut-offs, quintiles), the parameters, and the time to score one customer.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_SCORING, type ScoringConfig } from '../../collector/models/config.ts';
import type { Order } from '../../collector/models/customer-summary.ts';
import { fitShopModel } from '../../collector/models/fit.ts';
import { scoreProfile } from '../../collector/models/score.ts';
import { applyEvent } from '../../collector/models/stats.ts';
import { emptyStats, type ProfileScores } from '../../collector/profile.ts';

const FILE = '/work/shared/data/cdnow/cdnow_master_orders.csv';
const END = Date.UTC(1997, 8, 30);
const RUNS = 7;
const config: ScoringConfig = { ...DEFAULT_SCORING, currency: 'USD', locale: 'en-US' };

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

let t = performance.now();
const text = readFileSync(FILE, 'utf8');
const by = new Map<string, Order[]>();
let rows = 0;
for (const line of text.split('\n').slice(1)) {
  if (!line) continue;
  const [id, date, quantity, amount] = line.split(',');
  (by.get(id) ?? by.set(id, []).get(id)!).push({ ts: Date.parse(`${date}T00:00:00Z`), amount: Number(amount), quantity: Number(quantity) });
  rows++;
}
const parseMs = performance.now() - t;
const customers = [...by.values()].map((orders) => ({ orders }));

const fitTimes: number[] = [];
let model = fitShopModel(customers, config, END);
for (let i = 0; i < RUNS; i++) {
  t = performance.now();
  model = fitShopModel(customers, config, END);
  fitTimes.push(performance.now() - t);
}

// One profile per customer as the collector keeps them, then score a sample of them.
const profiles = [...by.values()].slice(0, 2000).map((orders) => {
  const s = emptyStats(orders[0].ts);
  for (const o of orders) if (o.ts <= END) applyEvent(s, { type: 'track', name: 'Order Completed', ts: o.ts, trusted: true, properties: { revenue: o.amount } }, config);
  return s;
});
for (const s of profiles) scoreProfile(s, model, config, END); // warm up
t = performance.now();
const stored: ProfileScores[] = [];
for (let k = 0; k < 5; k++) for (const s of profiles) stored.push(scoreProfile(s, model, config, END));
const scoreUs = ((performance.now() - t) * 1000) / (5 * profiles.length);
// What decide does on the hot path: read the stored tier and CLV.
let sink = 0;
t = performance.now();
for (let k = 0; k < 100; k++) for (const sc of stored) sink += (sc.tier === 'MVC' ? 1 : 0) + (sc.clv ?? 0);
const readUs = ((performance.now() - t) * 1000) / (100 * stored.length);

const f = (v: number, d = 3) => v.toFixed(d);
const table: [string, string][] = [
  ['orders parsed', `${rows} (${by.size} customers) in ${f(parseMs, 0)} ms`],
  [`fitShopModel, median of ${RUNS}`, `${f(median(fitTimes), 0)} ms (min ${f(Math.min(...fitTimes), 0)}, max ${f(Math.max(...fitTimes), 0)})`],
  ['BG/NBD r, α, a, b', `${f(model.bgnbd!.r)}, ${f(model.bgnbd!.alpha)}, ${f(model.bgnbd!.a)}, ${f(model.bgnbd!.b)} (LL ${f(model.diagnostics!.bgnbdLogLikelihood!, 1)})`],
  ['Gamma-Gamma p, q, v', `${f(model.gammaGamma!.p)}, ${f(model.gammaGamma!.q)}, ${f(model.gammaGamma!.v)} (${model.diagnostics!.repeatCustomers} repeat customers)`],
  ['MVC CLV cut-off (top 10 %)', `$${f(model.mvcClv!, 2)}`],
  ['scoreProfile, one customer', `${f(scoreUs, 1)} µs (RFM, P(alive), CLV, tier, needs, reasons)`],
  ['read stored tier + CLV', `${f(readUs, 4)} µs`],
];
const w = Math.max(...table.map(([k]) => k.length));
console.log(`CDNOW master, calibration to 1997-09-30, unit week — node ${process.version}`);
for (const [k, v] of table) console.log(`${k.padEnd(w)}  ${v}`);
if (sink < 0) console.log(sink);
