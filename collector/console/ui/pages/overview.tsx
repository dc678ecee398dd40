/** Overview: headline figures, the value pyramid, and how tiers moved since last week. */
import type { PageProps } from '../main.tsx';
import { useApi } from '../use-api.ts';
import { t } from '../i18n.ts';
import { num, pct } from '../format.ts';
import { BarChart } from '../charts.tsx';
import { Loading } from '../parts.tsx';

interface Row { tier: string; count: number; customerShare: number; value: number; valueShare: number }
interface Overview { visitors: number; identified: number; buyers: number; eventsToday: number; conversion: number; pyramid: Row[]; lastWeek: { day: string; rows: { tier: string; count: number; valueShare: number }[] } | null }

export default function OverviewPage({ site, go }: PageProps) {
  const { data, error } = useApi<Overview>(`/sites/${site.id}/overview`);
  if (!data) return <Loading error={error} title={t('overview')} />;
  const cards: [string, string][] = [
    [t('visitors'), num(data.visitors)], [t('identified'), num(data.identified)],
    [t('eventsToday'), num(data.eventsToday)], [t('conversion'), pct(data.conversion)],
  ];
  const prev = new Map(data.lastWeek?.rows.map((r) => [r.tier, r]) ?? []);
  return (
    <>
      <h1 tabIndex={-1}>{t('overview')}</h1>
      <section class="kpis" aria-label={t('overview')}>
        {cards.map(([k, v]) => <div class="kpi"><span class="k">{k}</span><strong class="v">{v}</strong></div>)}
      </section>
      <div class="grid2">
        <section class="card" aria-labelledby="pyr-h">
          <h2 id="pyr-h">{t('pyramid')}</h2>
          <p class="muted">{t('pyramidHelp')}</p>
          <BarChart title={`${t('pyramid')} — ${t('count')}`} axis={t('customersAxis')} format={(v) => num(v)} integer
            bars={data.pyramid.map((r) => ({ label: r.tier, value: r.count, text: `${num(r.count)} · ${pct(r.customerShare, 0)}`, tone: 't-' + r.tier }))} />
          <BarChart title={`${t('pyramid')} — ${t('valueShare')}`} axis={t('shareAxis')} format={(v) => pct(v / 100, 0)}
            bars={data.pyramid.map((r) => ({ label: r.tier, value: r.valueShare * 100, text: pct(r.valueShare), tone: 't-' + r.tier }))} />
          <p class="muted small">{t('tierNames')}</p>
        </section>
        <section class="card" aria-labelledby="move-h">
          <h2 id="move-h">{t('lastWeek')}</h2>
          {!data.lastWeek && <p class="muted">{t('noSnapshot')}</p>}
          <table>
            <caption class="sr">{t('lastWeek')}</caption>
            <thead><tr><th scope="col">{t('tier')}</th><th scope="col" class="n">{t('count')}</th><th scope="col" class="n">Δ</th><th scope="col" class="n">{t('valueShare')}</th><th scope="col" class="n">Δ</th></tr></thead>
            <tbody>
              {data.pyramid.map((r) => {
                const p = prev.get(r.tier);
                const dc = p ? r.count - p.count : null, dv = p ? r.valueShare - p.valueShare : null;
                return (
                  <tr>
                    <th scope="row"><a class={'chip t-' + r.tier} href={`/admin/customers?tier=${r.tier}`} title={t('byTier')} onClick={(e) => { e.preventDefault(); go(`customers?tier=${r.tier}`); }}>{r.tier}</a></th>
                    <td class="n">{num(r.count)}</td>
                    <td class={'n ' + (dc ? (dc > 0 ? 'up' : 'down') : '')}>{dc == null ? '—' : (dc > 0 ? '+' : '') + num(dc)}</td>
                    <td class="n">{pct(r.valueShare)}</td>
                    <td class={'n ' + (dv ? (dv > 0 ? 'up' : 'down') : '')}>{dv == null ? '—' : (dv > 0 ? '+' : '') + num(dv * 100, 1) + ' pt'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      </div>
    </>
  );
}
