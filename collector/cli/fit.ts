/**
 * idic fit [--until YYYY-MM-DD] [--unit day|week] [--as-of YYYY-MM-DD] [--site S] [--db PATH] [--json]
 * Fit BG/NBD and Gamma-Gamma (and the tiers' cut-offs, RFM quintiles) on the site's order
 * history, save the shop model and rescore every profile with it.
 */
import { newUlidFactory } from '../ids.ts';
import type { Store } from '../store/types.ts';
import type { Services } from '../services/context.ts';
import { EMPTY_MODEL, type ShopModel } from '../models/shop-model.ts';
import { describeFit, endOfShopDay, fitSite } from '../services/refit.ts';
import { CliError, dbFrom, parse, siteFrom } from './args.ts';

/** Services for a one-shot command: the real clock, and the site's stored model. */
export async function cliServices(store: Store, siteId: string): Promise<Services & { setModel(siteId: string, m: ShopModel): void }> {
  let model: ShopModel = (await store.getShopModel(siteId)) ?? EMPTY_MODEL;
  return {
    store, clock: { now: () => Date.now() }, newId: newUlidFactory(), random: Math.random, signingKey: '',
    model: () => model,
    setModel: (_id, m) => { model = m; },
  };
}

export function dateOption(name: string, value: string | undefined, utcOffsetMinutes: number): number | undefined {
  if (value === undefined) return undefined;
  const end = endOfShopDay(value, utcOffsetMinutes);
  if (end === null) throw new CliError(`--${name} must be a date YYYY-MM-DD, got "${value}"`);
  return end;
}

export async function fitCommand(argv: string[]) {
  const { values } = parse(argv, { until: { type: 'string' }, unit: { type: 'string' }, 'as-of': { type: 'string' } });
  if (values.unit !== undefined && values.unit !== 'day' && values.unit !== 'week') throw new CliError(`--unit must be day or week, got "${values.unit}"`);
  const store = await dbFrom(values, {}, { existing: true });
  try {
    const site = await siteFrom(store, values.site);
    const offset = site.settings.utcOffsetMinutes;
    const until = dateOption('until', values.until, offset);
    const asOf = dateOption('as-of', values['as-of'], offset);
    const svc = await cliServices(store, site.id);
    const { model, info } = await fitSite(svc, site, svc.setModel, { until, unit: values.unit as 'day' | 'week' | undefined, asOf, trigger: 'cli' });
    const out = describeFit(model);
    if (values.json) {
      console.log(JSON.stringify(out));
      return;
    }
    console.log(JSON.stringify(out, null, 2));
    const ms = (v: number) => `${Math.round(v)} ms`;
    console.error(`fitted ${model.customers} customers in ${ms(info.fitMs)} (read ${ms(info.loadMs)}); rescored ${info.profilesRescored} profiles in ${ms(info.rescoreMs)}`);
    if (!model.bgnbd) console.error('note: too few customers or repeat buyers to fit BG/NBD; scores use RFM only');
  } finally {
    await store.close();
  }
}
