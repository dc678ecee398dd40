/** Customers: each value tier's customers, most valuable first; search by any id; the customer 360 with export and erase. */
import { useState } from 'preact/hooks';
import type { PageProps } from '../main.tsx';
import { api } from '../api.ts';
import { useApi, useOfferNames } from '../use-api.ts';
import { fill, t } from '../i18n.ts';
import { date, day, money, num, pct } from '../format.ts';
import { Loading } from '../parts.tsx';
import { LoyaltyCard } from './customer-loyalty.tsx';
import { needsLabel } from '../needs-words.ts';

/** Needs labels in words, each with its targeting code as the tooltip. */
function NeedsList({ codes, names }: { codes: string[]; names?: Record<string, string> }) {
  if (!codes.length) return <>—</>;
  return <span class="needs">{codes.map((c) => <span class="badge" title={c}>{needsLabel(c, names)}</span>)}</span>;
}

export default function CustomersPage(props: PageProps) {
  const { site, path, go } = props;
  const [q, setQ] = useState('');
  const [res, setRes] = useState<{ id: string; userId: string | null; tier: string | null; email: string | null; lastSeen: number }[] | null>(null);
  const [err, setErr] = useState('');
  const search = async (e: Event) => {
    e.preventDefault();
    setErr('');
    try {
      const r = await api<{ results: NonNullable<typeof res> }>(`/sites/${site.id}/customers?q=${encodeURIComponent(q)}`);
      setRes(r.results);
      if (r.results.length === 1) go(`customers/${r.results[0].id}`);
    } catch (x) { setErr((x as Error).message); }
  };
  return (
    <>
      {!path[0] && <h1 tabIndex={-1}>{t('customers')}</h1>}
      <form class="search" role="search" onSubmit={search}>
        <label for="q" class="sr">{t('search')}</label>
        <input id="q" type="search" placeholder={t('search')} value={q} onInput={(e) => setQ((e.currentTarget as HTMLInputElement).value)} />
        <button class="primary">{t('find')}</button>
      </form>
      {err && <p class="error" role="alert">{err}</p>}
      {res && res.length === 0 && <p class="muted" role="status">{t('noResults')}</p>}
      {path[0] ? <Customer360 {...props} id={path[0]} /> : <TierList {...props} />}
    </>
  );
}

const TIERS = ['MVC', 'MGC', 'LMC', 'Migrator', 'BZ'] as const;
/** Offers seen, shown before "show all": the latest ones say most. */
const OFFERS_SHOWN = 20;
interface Member { id: string; userId: string | null; name: string | null; email: string | null; clv: number | null; orders: number; revenue: number; lastOrderAt: number | null; needs: string[]; needNames: Record<string, string> }

/** IDIC's Differentiate in one view: pick a tier, see who is in it, open one. */
function TierList({ site, me, go }: PageProps) {
  // ?tier= from the overview's pyramid; MVC first otherwise: where the value is.
  const [tier, setTier] = useState<(typeof TIERS)[number]>(() => TIERS.find((x) => x === new URLSearchParams(location.search).get('tier')) ?? 'MVC');
  const { data, error } = useApi<{ total: number; rows: Member[] }>(`/sites/${site.id}/tiers/${tier}/customers?limit=50`);
  return (
    <section class="card flush" data-testid="tier-list">
      <div class="pad head">
        <h2>{t('byTier')}</h2>
        <div class="actions">
          <div class="lang" role="group" aria-label={t('tier')}>
            {TIERS.map((x) => <button type="button" aria-pressed={x === tier} onClick={() => setTier(x)}>{x}</button>)}
          </div>
          {me.user.role !== 'analyst' && <a class="button" href={`/v1/console/sites/${site.id}/tiers/${tier}/customers.csv`} download>{t('downloadCsv')}</a>}
        </div>
      </div>
      {!data ? <p class={'pad ' + (error ? 'error' : 'muted')}>{error || t('loading')}</p> : (
        <>
          <p class="pad muted small" role="status">{data.rows.length < data.total ? fill(t('tierShown'), num(data.rows.length), num(data.total), tier) : fill(t('tierAll'), num(data.total), tier)}</p>
          {data.rows.length > 0 && (
            <table>
              <thead><tr><th scope="col">{t('customer')}</th><th scope="col" class="n">{t('clv')}</th><th scope="col" class="n">{t('orders')}</th><th scope="col" class="n">{t('revenue')}</th><th scope="col">{t('lastOrder')}</th><th scope="col">{t('needsShort')}</th></tr></thead>
              <tbody>{data.rows.map((m) => (
                <tr>
                  <th scope="row"><a href={`/admin/customers/${encodeURIComponent(m.id)}`} onClick={(e) => { e.preventDefault(); go(`customers/${m.id}`); }}>{m.name || m.userId || m.id}</a>{m.email && <span class="muted small"> {m.email}</span>}</th>
                  <td class="n">{money(m.clv, site.currency)}</td><td class="n">{num(m.orders)}</td><td class="n">{money(m.revenue, site.currency)}</td>
                  <td>{day(m.lastOrderAt)}</td><td class="small"><NeedsList codes={m.needs} names={m.needNames} /></td>
                </tr>
              ))}</tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}


function Customer360({ site, me, id }: PageProps & { id: string }) {
  const [before, setBefore] = useState<string | undefined>();
  const { data, error } = useApi<any>(`/sites/${site.id}/customers/${encodeURIComponent(id)}${before ? `?before=${before}` : ''}`);
  const names = useOfferNames(site.id);
  const [allOffers, setAllOffers] = useState(false);
  const [note, setNote] = useState('');
  if (!data) return <Loading error={error} title={t('customers')} />;
  const p = data.profile, s = p.scores;
  const affinities = Object.entries(s.affinities as Record<string, number>).slice(0, 6);
  const erase = async () => {
    if (!confirm(t('eraseConfirm'))) return;
    try { await api(`/sites/${site.id}/customers/${encodeURIComponent(p.id)}`, { method: 'DELETE' }); setNote('✓'); } catch (x) { setNote((x as Error).message); }
  };
  return (
    <>
      <div class="head">
        <h1 tabIndex={-1}>{(p.traits.name as string) || p.userId || p.id} {s.tier && <span class={'chip t-' + s.tier}>{s.tier}</span>}</h1>
        <div class="actions">
          {me.user.role !== 'analyst' && <a class="button" href={`/v1/console/sites/${site.id}/customers/${encodeURIComponent(p.id)}/export`} download>{t('exportJson')}</a>}
          {me.user.role === 'owner' && <button type="button" class="danger" onClick={erase}>{t('erase')}</button>}
        </div>
      </div>
      {note && <p class={note === '✓' ? 'ok' : 'error'} role={note === '✓' ? 'status' : 'alert'}>{note}</p>}
      <div class="grid3">
        <section class="card"><h2>{t('identities')}</h2>
          <ul class="ids">{p.identities.map((i: any) => <li><span class="badge">{idKind(i.kind)}</span> <code>{i.value}</code></li>)}</ul>
          <p class="muted small">{t('profileId')} {p.id}</p>
        </section>
        <section class="card"><h2>{t('value')}</h2>
          <dl class="facts">
            <dt>{t('clv')}</dt><dd>{money(s.clv, site.currency)}</dd>
            <dt>{t('pAlive')}</dt><dd>{pct(s.pAlive)}</dd>
            <dt>{t('expected')}</dt><dd>{num(s.expectedPurchases, 2)}</dd>
            <dt>{t('orders')}</dt><dd>{num(p.stats.orders)} · {money(p.stats.revenue, site.currency)}</dd>
            <dt>{t('stage')}</dt><dd>{t(`stage_${s.stage}` as 'stage_buying') ?? s.stage}</dd>
            <dt>{t('needsShort')}</dt><dd><NeedsList codes={s.needs} names={data.needNames} /></dd>
          </dl>
        </section>
        <section class="card"><h2>{t('affinities')}</h2>
          {affinities.length ? (
            <ul class="meters" aria-label={`${t('affinities')} (0–1)`}>
              {affinities.map(([k, v]) => <li><span>{k}</span><span class="meter" role="meter" aria-valuemin={0} aria-valuemax={1} aria-valuenow={v} aria-label={k}><i style={{ width: Math.round(v * 100) + '%' }} /></span><strong>{num(v, 2)}</strong></li>)}
            </ul>
          ) : <p class="muted">—</p>}
        </section>
      </div>
      <section class="card"><h2>{t('reasons')}</h2><ul class="reasons">{s.reasons.map((r: string) => <li>{r}</li>)}</ul></section>
      <LoyaltyCard site={site} me={me} profileId={p.id} />
      <section class="card flush"><h2 class="pad">{t('offersSeen')}</h2>
        <table><thead><tr><th scope="col">{t('offers')}</th><th scope="col">{t('placements')}</th><th scope="col">{t('outcome')}</th><th scope="col">⏱</th></tr></thead>
          <tbody>{!data.offers.length && <tr><td colSpan={4} class="muted">{t('noOffersSeen')}</td></tr>}{data.offers.slice(0, allOffers ? undefined : OFFERS_SHOWN).map((o: any) => <tr><th scope="row">{(o.offerId && names.get(o.offerId)) || o.offerId || '—'}{o.holdout && <span class="badge"> {t('holdoutGroup')}</span>}</th><td>{o.placement}</td><td>{o.outcomes.map((x: any) => t(`out_${x.kind}` as 'out_click') ?? x.kind).join(', ') || '—'}</td><td>{date(o.at)}</td></tr>)}</tbody>
        </table>
        {!allOffers && data.offers.length > OFFERS_SHOWN && <p class="pad"><button type="button" onClick={() => setAllOffers(true)}>{fill(t('showAll'), num(data.offers.length))}</button></p>}
      </section>
      <section class="card"><h2>{t('timeline')}</h2>
        <ol class="timeline">{data.timeline.map((e: any) => (
          <li><time>{date(e.ts)}</time> <span class={'badge ev-' + e.type}>{e.type}</span> <strong>{e.name ?? (e.body?.properties?.path as string) ?? ''}</strong>{e.trusted && <span class="badge ok"> {t('trusted')}</span>} <span class="muted small">{e.source}</span></li>
        ))}</ol>
        {data.next && <button type="button" onClick={() => setBefore(data.next)}>{t('more')}</button>}
      </section>
    </>
  );
}

/** An identity's kind in the reader's language; a kind the console has no word for, as stored. */
const idKind = (kind: string): string => t(`kind_${kind}` as 'kind_user') ?? kind;
