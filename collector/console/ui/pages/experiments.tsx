/** Experiments: per offer and tier, treated vs holdout conversion and revenue with 95 % intervals. */
import type { PageProps } from '../main.tsx';
import { useApi, useOfferNames } from '../use-api.ts';
import { fill, t } from '../i18n.ts';
import { money, num, pct } from '../format.ts';
import { IntervalChart } from '../charts.tsx';
import { Loading } from '../parts.tsx';

interface G { customers: number; converters: number; conversionRate: number; revenuePerCustomer: number }
interface Row { offerId: string; tier: string | null; treated: G; holdout: G; conversion: { diff: number; low: number; high: number; relative: number | null }; revenuePerCustomer: { diff: number; low: number | null; high: number | null; relative: number | null } }

export default function ExperimentsPage({ site }: PageProps) {
  const { data, error } = useApi<{ rows: Row[]; days: number }>(`/sites/${site.id}/experiments?days=90`);
  // Marketers know offers by the names they gave them; the id stays beside it.
  const names = useOfferNames(site.id);
  if (!data) return <Loading error={error} title={t('experiments')} />;
  const offers = [...new Set(data.rows.map((r) => r.offerId))];
  const label = (r: Row) => (r.tier === 'all' ? t('all') : r.tier ?? t('none'));
  return (
    <>
      <h1 tabIndex={-1}>{t('experiments')}</h1>
      <p class="muted">{t('treated')} vs {t('holdoutGroup')} · {fill(t('nDays'), String(data.days))} · {t('ci')}</p>
      {offers.length === 0 && <p class="card muted">{t('noExperiments')}</p>}
      {offers.map((id) => {
        const rows = data.rows.filter((r) => r.offerId === id);
        // Uplift needs a control group: a tier nobody was held out in has nothing to compare with.
        const measured = rows.filter((r) => r.holdout.customers > 0);
        return (
          <section class="card" aria-labelledby={'x-' + id}>
            <h2 id={'x-' + id}>{names.get(id) ?? id}{names.has(id) && <span class="muted small"> {id}</span>}</h2>
            {measured.length === 0 ? <p class="note" role="note">{t('noHoldout')}</p> : <div class="grid2">
              <IntervalChart title={`${names.get(id) ?? id}: ${t('uplift')} ${t('convRate')}`} axis={`${t('uplift')}: ${t('rateAxis')} (${t('treated')} − ${t('holdoutGroup')})`} format={(v) => num(v * 100, 1)}
                rows={measured.map((r) => ({ label: label(r), value: r.conversion.diff, low: r.conversion.low, high: r.conversion.high, tone: r.conversion.low > 0 ? 'good' : r.conversion.high < 0 ? 'bad' : 'neutral', text: `${r.conversion.diff >= 0 ? '+' : ''}${num(r.conversion.diff * 100, 1)} pt` }))} />
              <IntervalChart title={`${names.get(id) ?? id}: ${t('revPer')}`} axis={`${t('uplift')}: ${t('revPer')} (${site.currency})`} format={(v) => num(v)}
                rows={measured.map((r) => ({ label: label(r), value: r.revenuePerCustomer.diff, low: r.revenuePerCustomer.low, high: r.revenuePerCustomer.high, tone: 'neutral', text: money(r.revenuePerCustomer.diff, site.currency) }))} />
            </div>}
            <table>
              <thead><tr><th scope="col">{t('tier')}</th><th scope="col" class="n">{t('treated')}</th><th scope="col" class="n">{t('convRate')}</th><th scope="col" class="n">{t('holdoutGroup')}</th><th scope="col" class="n">{t('convRate')}</th><th scope="col" class="n">{t('uplift')}</th><th scope="col" class="n">{t('ci')}</th></tr></thead>
              <tbody>{rows.map((r) => (
                <tr><th scope="row">{label(r)}</th><td class="n">{num(r.treated.customers)}</td><td class="n">{pct(r.treated.conversionRate)}</td><td class="n">{num(r.holdout.customers)}</td>
                  {r.holdout.customers > 0
                    ? <><td class="n">{pct(r.holdout.conversionRate)}</td><td class="n">{r.conversion.relative == null ? '—' : pct(r.conversion.relative)}</td><td class="n">{num(r.conversion.low * 100, 1)} … {num(r.conversion.high * 100, 1)} pt</td></>
                    : <><td class="n">—</td><td class="n">—</td><td class="n">—</td></>}</tr>
              ))}</tbody>
            </table>
          </section>
        );
      })}
    </>
  );
}
