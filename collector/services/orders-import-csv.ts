/**
 * Importing an orders CSV end to end, for every caller (admin API, console, demo): parse with
 * row-level errors, store, then rescore the customers it touched with the shop's current model.
 */
import type { Site } from '../store/types.ts';
import type { Services } from './context.ts';
import { EMPTY_MODEL } from '../models/score.ts';
import { importOrders, parseOrdersCsv } from './orders-import.ts';
import { rescoreProfiles } from './refit.ts';

/** The file itself is unreadable (bad header, wrong columns): nothing was stored. */
export class InvalidCsvError extends Error {}

export function parseShopOrders(svc: Services, site: Site, text: string) {
  try {
    return parseOrdersCsv(text, { utcOffsetMinutes: site.settings.utcOffsetMinutes, currency: site.settings.currency, now: svc.clock.now() });
  } catch (e) {
    throw new InvalidCsvError((e as Error).message);
  }
}

export async function importAndRescore(
  svc: Services, site: Site, parsed: ReturnType<typeof parseOrdersCsv>,
  opts: Parameters<typeof importOrders>[3] = {},
) {
  const { profileIds, ...report } = await importOrders(svc, site, parsed, opts);
  const model = (await svc.store.getShopModel(site.id)) ?? EMPTY_MODEL;
  return { ...report, profilesUpdated: profileIds.length, rescored: await rescoreProfiles(svc, site, model, { ids: profileIds }) };
}
