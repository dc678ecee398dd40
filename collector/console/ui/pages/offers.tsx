/** Offers: the list with status and figures; `offers/new` and `offers/:id` open the editor chunk. */
import { useEffect, useState } from 'preact/hooks';
import type { ComponentType } from 'preact';
import type { PageProps } from '../main.tsx';
import { useApi } from '../use-api.ts';
import { t } from '../i18n.ts';
import { num, pct, date } from '../format.ts';
import { kindName, Loading, Status } from '../parts.tsx';


interface Figures { decisions: number; holdouts: number; impressions: number; clicks: number; dismissals: number; conversions: number }
interface Offer { id: string; name: string; status: string; kind: string; placements: string[]; version: number; updatedAt: number; updatedBy: string; priority: number }

export default function OffersPage(props: PageProps) {
  // The editor (with zod) is its own chunk, fetched only when an offer is opened.
  const [Editor, set] = useState<{ c: ComponentType<PageProps> } | null>(null);
  useEffect(() => void (props.path[0] && !Editor && import('./offer-editor.tsx').then((m) => set({ c: m.default }))), [props.path[0]]);
  if (props.path[0]) return Editor ? <Editor.c {...props} /> : <p class="muted" role="status">{t('loading')}</p>;
  return <OfferList {...props} />;
}

function OfferList({ site, me, go }: PageProps) {
  const { data, error } = useApi<{ offers: Offer[]; figures: Record<string, Figures> }>(`/sites/${site.id}/offers`);
  if (!data) return <Loading error={error} title={t('offers')} />;
  const canEdit = me.user.role !== 'analyst';
  const order = ['active', 'paused', 'draft', 'archived'];
  const offers = [...data.offers].sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status) || b.priority - a.priority);
  return (
    <>
      <div class="head">
        <h1 tabIndex={-1}>{t('offers')}</h1>
        {canEdit && <button class="primary" onClick={() => go('offers/new')}>+ {t('newOffer')}</button>}
      </div>
      <section class="card flush">
        <table class="offers">
          <thead><tr>
            <th scope="col">{t('name')}</th><th scope="col">{t('status')}</th><th scope="col">{t('kind')}</th><th scope="col">{t('placements')}</th>
            <th scope="col" class="n">{t('impressions')}</th><th scope="col" class="n">{t('clicks')}</th><th scope="col" class="n">{t('ctr')}</th>
            <th scope="col" class="n">{t('conversions')}</th><th scope="col">{t('version')}</th>
          </tr></thead>
          <tbody>
            {offers.map((o) => {
              const f = data.figures[o.id];
              return (
                <tr data-offer={o.id}>
                  <th scope="row"><a href={`/admin/offers/${o.id}`} onClick={(e) => { e.preventDefault(); go(`offers/${o.id}`); }}>{o.name}</a><div class="muted small">{o.id}</div></th>
                  <td><Status s={o.status} /></td>
                  <td>{kindName(o.kind)}</td>
                  <td class="small">{o.placements.join(', ')}</td>
                  <td class="n" data-col="impressions">{num(f?.impressions ?? 0)}</td>
                  <td class="n">{num(f?.clicks ?? 0)}</td>
                  <td class="n">{f?.impressions ? pct(f.clicks / f.impressions) : '—'}</td>
                  <td class="n">{num(f?.conversions ?? 0)}</td>
                  <td class="small"><strong>v{o.version}</strong> <span class="nowrap">{date(o.updatedAt)}</span><div class="muted">{o.updatedBy}</div></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </>
  );
}
