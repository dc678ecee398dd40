/** Sites are the tenants: each has a public write key and a secret key. */
import { randomBytes } from 'node:crypto';
import type { Site, Store } from '../store/types.ts';
import { siteSettings, type SiteSettingsInput } from '../settings.ts';

const key = (prefix: string, bytes: number) => prefix + randomBytes(bytes).toString('base64url');

export async function createSite(store: Store, input: { name: string; settings?: SiteSettingsInput; id?: string }, newId: () => string, now: number): Promise<Site> {
  const site: Site = {
    id: input.id ?? newId(), name: input.name, writeKey: key('wk_', 18), secretKey: key('sk_', 24),
    settings: siteSettings.parse(input.settings ?? {}), createdAt: now,
  };
  await store.createSite(site);
  return site;
}
