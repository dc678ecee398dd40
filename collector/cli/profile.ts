import { dbFrom, parse, siteFrom, CliError } from './args.ts';
import type { Profile } from '../profile.ts';

export async function profileCommand(argv: string[]) {
  const { values, positionals } = parse(argv, {});
  const id = positionals[0];
  if (!id) throw new CliError('usage: idic profile <id> [--site S] [--json]');
  const store = await dbFrom(values);
  try {
    const site = await siteFrom(store, values.site);
    const p = await store.findProfile(site.id, id);
    if (!p) throw new CliError(`no customer with id "${id}" in site ${site.name}`);
    if (values.json) console.log(JSON.stringify(summary(p)));
    else console.log(describe(p, site.settings.currency));
  } finally {
    await store.close();
  }
}

export function summary(p: Profile) {
  return {
    profileId: p.id, userId: p.userId, ids: p.identities, traits: p.traits,
    orders: p.stats.orders, revenue: p.stats.revenue, tier: p.scores.tier, scores: p.scores, stats: p.stats,
  };
}

function describe(p: Profile, currency: string) {
  const money = (n: number) => new Intl.NumberFormat('en', { style: 'currency', currency, maximumFractionDigits: 0 }).format(n);
  const lines = [
    `Customer ${p.id}${p.userId ? ` (user ${p.userId})` : ' (anonymous)'}`,
    `  ids:     ${p.identities.map((i) => `${i.kind}:${i.value}`).join(', ')}`,
    `  traits:  ${JSON.stringify(p.traits)}`,
    `  orders:  ${p.stats.orders}, revenue ${money(p.stats.revenue)}`,
    `  tier:    ${p.scores.tier ?? '— (no purchases yet)'}   stage: ${p.scores.stage}`,
    `  affinity: ${Object.entries(p.scores.affinities).slice(0, 5).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ') || '—'}`,
    ...p.scores.reasons.map((r) => `  why:     ${r}`),
  ];
  return lines.join('\n');
}
