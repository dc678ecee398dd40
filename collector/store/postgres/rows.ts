/** Row ↔ object mapping for the PostgreSQL store (the column layout matches SQLite's). */
import type { Profile, ProfileIdentity } from '../../profile.ts';
import type { DecisionRow } from '../types.ts';

type Row = Record<string, any>;

/**
 * A profile with its identities in one round trip: `ids` is `ARRAY(kind || ':' || value)` in
 * link order. Kinds never contain ':', values may.
 */
export const PROFILE_COLUMNS = `p.*, ARRAY(SELECT i.kind || ':' || i.value FROM identities i
  WHERE i.site_id = p.site_id AND i.profile_id = p.id ORDER BY i.created_at, i.kind) AS ids`;
export const PROFILE_SELECT = `SELECT ${PROFILE_COLUMNS} FROM profiles p`;

export function splitIdentity(s: string): ProfileIdentity {
  const at = s.indexOf(':');
  return { kind: s.slice(0, at), value: s.slice(at + 1) };
}

export function profileFromRow(r: Row): Profile {
  return {
    siteId: r.site_id, id: r.id, userId: r.user_id, traits: JSON.parse(r.traits), stats: JSON.parse(r.stats),
    scores: JSON.parse(r.scores), createdAt: r.created_at, updatedAt: r.updated_at,
    identities: (r.ids as string[]).map(splitIdentity),
  };
}

/** Both stores read events the same way. */
export { eventFromRow } from '../event-body.ts';

export function decisionFromRow(d: Row): DecisionRow {
  return {
    siteId: d.site_id, id: d.id, profileId: d.profile_id, placement: d.placement, offerId: d.offer_id,
    offerVersion: d.offer_version, arm: d.arm, holdout: !!d.holdout, sessionId: d.session_id, createdAt: d.created_at,
  };
}

export { exposuresFromRows } from '../exposures.ts';

export const EXPOSURES_SQL = `SELECT d.id, d.offer_id, d.placement, d.session_id, d.created_at, d.holdout, o.kind, o.at AS oat
  FROM decisions d LEFT JOIN outcomes o ON o.site_id = d.site_id AND o.decision_id = d.id
  WHERE d.site_id = $1 AND d.profile_id = $2 AND d.created_at >= $3 ORDER BY d.created_at, d.id`;

/**
 * A decide's read, after its lock (store.decideInTransaction): the profile that the user id, else
 * the anonymous id, names ($1 site, $2 user id, $3 anonymous id), with its exposures since $4 as
 * JSON rows shaped like EXPOSURES_SQL's.
 */
export const DECIDE_PROFILE_ID = `COALESCE(
  (SELECT profile_id FROM identities WHERE site_id = $1 AND kind = 'user' AND value = $2),
  (SELECT profile_id FROM identities WHERE site_id = $1 AND kind = 'anonymous' AND value = $3))`;
export const DECIDE_LOCK_SQL = `SELECT id, pg_advisory_xact_lock(hashtextextended($1 || '|profile:' || id, 0))
  FROM (SELECT ${DECIDE_PROFILE_ID} AS id) s WHERE id IS NOT NULL`;
export const DECIDE_READ_SQL = `SELECT ${PROFILE_COLUMNS}, (SELECT json_agg(json_build_object('id', d.id, 'offer_id', d.offer_id,
    'placement', d.placement, 'session_id', d.session_id, 'created_at', d.created_at, 'holdout', d.holdout, 'kind', o.kind, 'oat', o.at)
    ORDER BY d.created_at, d.id)::text
  FROM decisions d LEFT JOIN outcomes o ON o.site_id = d.site_id AND o.decision_id = d.id
  WHERE d.site_id = p.site_id AND d.profile_id = p.id AND d.created_at >= $4) AS exposures
  FROM profiles p WHERE p.site_id = $1 AND p.id = ${DECIDE_PROFILE_ID}`;
