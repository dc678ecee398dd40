/**
 * Bulk seeding for benchmarks: N profiles (each with an anonymous id) and M active offers written
 * straight into a SQLite file with prepared statements — seeding is not what is measured.
 */
import Database from 'better-sqlite3';
import { emptyStats, type ProfileStats } from '../../collector/profile.ts';
import { scoreProfile, EMPTY_MODEL } from '../../collector/models/score.ts';
import { DEFAULT_SCORING } from '../../collector/models/config.ts';
import { applyEvent } from '../../collector/models/stats.ts';
import { offerInput, VALUE_TIERS, type Offer } from '../../collector/offers/schema.ts';

const CATEGORIES = ['coffee', 'tea', 'ceramics', 'books', 'snacks', 'gifts'];

export function seededRandom(seed: number) {
  return () => ((seed = (Math.imul(seed ^ (seed >>> 15), 2246822507) + 0x6d2b79f5) >>> 0) / 2 ** 32);
}

/** A few dozen realistic profile templates, reused: shapes vary, content is representative. */
function templates(now: number, random: () => number) {
  return Array.from({ length: 48 }, (_, k) => {
    const stats: ProfileStats = emptyStats(now - 200 * 86_400_000);
    const cat = CATEGORIES[k % CATEGORIES.length];
    for (let i = 0; i < 5 + (k % 7); i++) {
      applyEvent(stats, { type: 'track', name: 'Product Viewed', ts: now - (k + i) * 86_400_000, trusted: false, properties: { category: cat, price: 100000 + 10000 * i } }, DEFAULT_SCORING);
    }
    for (let i = 0; i < k % 5; i++) {
      applyEvent(stats, { type: 'track', name: 'Order Completed', ts: now - (k * 3 + i * 20) * 86_400_000, trusted: true, properties: { order_id: `t${k}-${i}`, revenue: 150000 + 50000 * (k % 4), products: [{ category: cat, price: 150000, quantity: 1 }] } }, DEFAULT_SCORING);
    }
    const scores = scoreProfile(stats, EMPTY_MODEL, DEFAULT_SCORING, now);
    scores.tier = k % 6 === 5 ? null : VALUE_TIERS[k % VALUE_TIERS.length];
    return { stats: JSON.stringify(stats), scores: JSON.stringify(scores), random };
  });
}

export function seedProfiles(db: Database.Database, siteId: string, count: number, now: number, seed = 7): void {
  const random = seededRandom(seed);
  const t = templates(now, random);
  const insertProfile = db.prepare('INSERT INTO profiles (site_id, id, user_id, traits, stats, scores, created_at, updated_at) VALUES (?, ?, NULL, ?, ?, ?, ?, ?)');
  const insertIdentity = db.prepare('INSERT INTO identities (site_id, kind, value, profile_id, created_at) VALUES (?, ?, ?, ?, ?)');
  const chunk = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const tpl = t[i % t.length];
      const id = `p${String(i).padStart(8, '0')}`;
      insertProfile.run(siteId, id, '{}', tpl.stats, tpl.scores, now, now);
      insertIdentity.run(siteId, 'anonymous', `a${i}`, id, now);
    }
  });
  for (let i = 0; i < count; i += 10_000) chunk(i, Math.min(count, i + 10_000));
}

/** M active offers on one placement with varied targeting, caps and priorities. */
export function benchOffers(count: number, placement: string, now: number, seed = 11): Offer[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const cat = CATEGORIES[i % CATEGORIES.length];
    const target = [
      { tier: [VALUE_TIERS[i % VALUE_TIERS.length]] },
      { affinity: { category: cat, min: 0.2 + random() * 0.5 } },
      { all: [{ tier: [VALUE_TIERS[(i + 1) % VALUE_TIERS.length], VALUE_TIERS[(i + 2) % VALUE_TIERS.length]] }, { not: { stage: ['lapsing'] } }] },
      { any: [{ page: ['/c/*', '/p/*'] }, { returning: true }] },
    ][i % 4];
    const o = offerInput.parse({
      id: `offer-${i}`, name: `Offer ${i}`, placements: [placement], kind: 'banner', status: 'active', priority: Math.floor(random() * 1000),
      target, cost: Math.floor(random() * 50000), expectedValue: 100000 + Math.floor(random() * 300000),
      caps: { perDay: 3, perWeek: 10 }, holdoutShare: 0.05,
      content: { en: { title: `Offer ${i} for ${cat} lovers`, body: 'Something good', cta: 'Shop', link: `/c/${cat}` }, vi: { title: `Ưu đãi ${i}`, cta: 'Mua' } },
    });
    return { ...o, version: 1, updatedAt: now, updatedBy: 'bench' };
  });
}

export function seedOffers(db: Database.Database, siteId: string, offers: Offer[]): void {
  const insert = db.prepare('INSERT INTO offers (site_id, id, version, status, data, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)');
  db.transaction(() => { for (const o of offers) insert.run(siteId, o.id, o.version, o.status, JSON.stringify(o), o.updatedAt, o.updatedBy); })();
}
