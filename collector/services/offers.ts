/**
 * Saving an offer, once for every caller: the admin API (`PUT /v1/admin/offers/:id`, secret
 * key) and the console (signed-in marketer or owner). Validates with the offer schema, stamps
 * who and when, stores it as a new version (optimistic: `expectedVersion` must be the current
 * one, null to create), and drops the site's cached offers so the next decision sees it.
 */
import { offerInput, type Offer } from '../offers/schema.ts';
import { HttpError, invalid } from '../http/errors.ts';
import type { Site } from '../store/types.ts';
import type { Services } from './context.ts';
import type { SiteCaches } from './decide.ts';

/**
 * Validate and save one offer; 400 naming the fields, 409 on a version conflict.
 * Unknown keys in `input` (such as a stored offer's `version` or `updatedBy`) are ignored.
 * @example await saveOffer(svc, caches, site, { ...body, id }, 'mai@shop.vn', body.version ?? null)
 */
export async function saveOffer(svc: Services, caches: SiteCaches, site: Site, input: unknown, actor: string, expectedVersion: number | null): Promise<Offer> {
  const parsed = offerInput.safeParse(input);
  if (!parsed.success) throw invalid(parsed.error);
  const offer: Offer = { ...parsed.data, version: 0, updatedAt: svc.clock.now(), updatedBy: actor };
  try {
    const saved = await svc.store.saveOffer(site.id, offer, expectedVersion);
    caches.offers.invalidate(site.id);
    return saved;
  } catch (e) {
    const message = (e as Error).message;
    if (message.startsWith('version conflict')) throw new HttpError(409, 'version_conflict', `${message}; reload the offer and send its current "version"`);
    throw e;
  }
}

/** The `version` a client sent with an offer: the one it edited, or null to create. */
export const expectedVersionOf = (body: unknown): number | null =>
  body && typeof body === 'object' && typeof (body as { version?: unknown }).version === 'number' ? (body as { version: number }).version : null;
