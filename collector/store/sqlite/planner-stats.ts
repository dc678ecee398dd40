/**
 * Every index here leads with site_id, and a shop usually has one site, so without statistics
 * SQLite's planner happily "searches" an index by site_id alone — a scan of the whole table
 * (we measured identity lookups dominating ingest). Until real statistics exist, give the planner
 * the truth it would learn: site_id selects everything, each further column narrows sharply.
 */
import type Database from 'better-sqlite3';

const ROWS = 1_000_000;

export function seedPlannerStats(db: Database.Database): void {
  db.exec('ANALYZE sqlite_schema');
  const hasStat = db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1'").get();
  if (!hasStat) db.exec('CREATE TABLE IF NOT EXISTS _idic_probe (x); ANALYZE _idic_probe; DROP TABLE _idic_probe;');
  const known = new Set((db.prepare('SELECT idx FROM sqlite_stat1 WHERE idx IS NOT NULL').all() as { idx: string }[]).map((r) => r.idx));
  const tables = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string; sql: string }[];
  const insert = db.prepare('INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)');
  let added = 0;
  for (const t of tables) {
    const withoutRowid = /WITHOUT\s+ROWID/i.test(t.sql);
    for (const ix of db.prepare(`PRAGMA index_list("${t.name}")`).all() as { name: string; origin: string }[]) {
      // A WITHOUT ROWID table's primary key is the table itself in sqlite_stat1.
      const statName = withoutRowid && ix.origin === 'pk' ? t.name : ix.name;
      if (known.has(statName)) continue;
      const cols = (db.prepare(`PRAGMA index_info("${ix.name}")`).all() as { name: string }[]).map((c) => c.name);
      const stat = [ROWS, ...cols.map((c, i) => (i === cols.length - 1 ? 1 : c === 'site_id' ? ROWS : 10))];
      insert.run(t.name, statName, stat.join(' '));
      added++;
    }
  }
  if (added) db.exec('ANALYZE sqlite_schema');
}
