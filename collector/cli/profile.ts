/**
 * idic profile <id> [--site S] [--db PATH] [--json]
 * What is known of one customer, by any id: ids, orders, and the scores with their reasons.
 */
import { parse, withCustomer } from './args.ts';
import type { Profile } from '../profile.ts';
import { formatMoney } from '../models/explain.ts';

export async function profileCommand(argv: string[]) {
  const { values, positionals } = parse(argv, {}, 1);
  await withCustomer(values, positionals, 'idic profile <id> [--site S] [--json]', async ({ site, customer: p }) => {
    if (values.json) console.log(JSON.stringify(summary(p)));
    else console.log(profileText(p, site.settings.currency, site.settings.locale));
  });
}

export function summary(p: Profile) {
  return {
    profileId: p.id, userId: p.userId, ids: p.identities, traits: p.traits,
    orders: p.stats.orders, revenue: p.stats.revenue, tier: p.scores.tier, scores: p.scores, stats: p.stats,
  };
}

const pct = (v: number) => `${(v * 100).toFixed(0)} %`;

/** The profile as lines of text: figures first, then every reason in words and numbers. */
function profileText(p: Profile, currency: string, locale: string) {
  const s = p.scores;
  const money = (n: number) => formatMoney(n, currency, locale);
  const rfm = s.rfm;
  const lines = [
    `Customer ${p.id}${p.userId ? ` (user ${p.userId})` : ' (anonymous)'}`,
    `  ids:      ${p.identities.map((i) => `${i.kind}:${i.value}`).join(', ')}`,
    ...(Object.keys(p.traits).length ? [`  traits:   ${JSON.stringify(p.traits)}`] : []),
    `  orders:   ${p.stats.orders}, revenue ${money(p.stats.revenue)} on ${p.stats.purchaseDays} purchase days`,
    `  tier:     ${s.tier ?? '— (no purchases yet)'}   stage: ${s.stage}`,
    `  value:    CLV ${s.clv === null ? '—' : money(s.clv)} · P(alive) ${s.pAlive === null ? '—' : pct(s.pAlive)} · expected purchases ${s.expectedPurchases === null ? '—' : s.expectedPurchases.toFixed(2)}`,
    ...(rfm ? [`  RFM:      R${rfm.r} F${rfm.f} M${rfm.m} (last order ${rfm.recencyDays ?? '—'} days ago, ${rfm.frequency} orders, ${money(rfm.monetary)} per order)`] : []),
    `  needs:    ${s.needs.join(', ') || '—'}`,
    `  affinity: ${Object.entries(s.affinities).slice(0, 5).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ') || '—'}`,
    `  scored:   ${s.computedAt ? new Date(s.computedAt).toISOString() : 'not yet (run `idic fit`)'}`,
    ...(s.reasons.length ? ['  why:', ...s.reasons.map((r) => `    - ${r}`)] : []),
  ];
  return lines.join('\n');
}
