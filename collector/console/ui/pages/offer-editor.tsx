/**
 * Create or edit one offer. The form validates as you type with the API's own zod schema
 * (`offerInput`), previews with the real widget, and moves the offer along
 * draft → active → paused → archived; every save is a new version with who and when.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { offerInput, type Condition, type OfferInput } from '../../../offers/schema.ts';
import type { Decision } from '../../../protocol.ts';
import type { PageProps } from '../main.tsx';
import { api, ApiError } from '../api.ts';
import { t, type Key } from '../i18n.ts';
import { date, num, pct } from '../format.ts';
import { Status } from '../parts.tsx';
import { Preview } from '../preview.tsx';
import { fromTarget, toTarget, type Builder } from '../targeting.ts';
import { LOCALES, OfferForm } from './offer-form.tsx';

type Offer = OfferInput & { version: number; updatedAt: number; updatedBy: string; status: string };
const NEXT: Record<string, [string, 'activate' | 'pause' | 'archive' | 'restore'][]> = {
  draft: [['active', 'activate'], ['archived', 'archive']],
  active: [['paused', 'pause'], ['archived', 'archive']],
  paused: [['active', 'activate'], ['archived', 'archive']],
  archived: [['draft', 'restore']],
};

const blank = (): any => ({ id: '', name: '', placements: ['home-hero'], kind: 'banner', status: 'draft', priority: 100, cost: 0, holdoutShare: 0, caps: { stopAfterConversion: true, stopAfterDismiss: true }, content: { en: { title: '' } } });

/** Drop locales the marketer left empty, so an unused language is not "title is required". */
function cleanContent(c: Record<string, Record<string, string | undefined>>) {
  const out: typeof c = {};
  for (const [k, v] of Object.entries(c)) if (Object.values(v).some((x) => x)) out[k] = v;
  return out;
}

export default function OfferEditor({ site, me, path, go }: PageProps) {
  const isNew = path[0] === 'new';
  const [offer, setOffer] = useState<Offer | null>(null);
  const [history, setHistory] = useState<Offer[]>([]);
  const [figures, setFigures] = useState<Record<string, number> | null>(null);
  const [draft, setDraft] = useState<any>(isNew ? blank() : null);
  const [builder, setBuilder] = useState<Builder>(fromTarget(undefined));
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [locale, setLocale] = useState<string>(site.locale.startsWith('vi') ? 'vi' : 'en');
  const [sample, setSample] = useState('');
  const [match, setMatch] = useState<{ ok: boolean; matched: string[]; tier: string | null } | string | null>(null);
  const readOnly = me.user.role === 'analyst';

  const load = async (id: string) => {
    const r = await api<{ offer: Offer; history: Offer[]; figures: Record<string, number> | null }>(`/sites/${site.id}/offers/${encodeURIComponent(id)}`);
    const { version: _v, updatedAt: _u, updatedBy: _b, target, ...rest } = r.offer;
    setOffer(r.offer);
    setHistory(r.history);
    setFigures(r.figures);
    setDraft(rest);
    setBuilder(fromTarget(target as Condition | undefined));
  };
  useEffect(() => void (!isNew && load(path[0]).catch((e) => setMsg({ ok: false, text: e.message }))), [path[0]]);

  const full = draft && { ...draft, content: cleanContent(draft.content), target: toTarget(builder) };
  const result = useMemo(() => (full ? offerInput.safeParse(full) : null), [draft, builder]);
  const errors = useMemo(() => {
    const m = new Map<string, string>();
    if (result && !result.success) for (const i of result.error.issues) {
      const p = i.path.map(String).join('.');
      if (!m.has(p)) m.set(p, fieldProblem(i));
    }
    return m;
  }, [result]);
  if (!draft) return <><h1 tabIndex={-1}>{t('offers')}</h1>{msg ? <p class="error" role="alert">{msg.text}</p> : <p class="muted" role="status">{t('loading')}</p>}</>;

  const err = (p: string) => (submitted || touched.has(p) ? errors.get(p) ?? errors.get(p.replace(/\.[^.]+$/, '')) : undefined);
  const save = async (e?: Event) => {
    e?.preventDefault();
    setSubmitted(true);
    if (!result?.success) return setMsg({ ok: false, text: t('invalid') });
    try {
      const r = await api<{ offer: Offer }>(`/sites/${site.id}/offers/${encodeURIComponent(result.data.id)}`, { method: 'PUT', body: { ...full, version: offer?.version ?? null } });
      setMsg({ ok: true, text: `${t('saved')} · v${r.offer.version}` });
      if (isNew) go(`offers/${r.offer.id}`);
      else await load(r.offer.id);
    } catch (x) {
      setMsg({ ok: false, text: (x as ApiError).message });
    }
  };
  const move = async (status: string) => {
    try {
      const r = await api<{ offer: Offer }>(`/sites/${site.id}/offers/${encodeURIComponent(offer!.id)}/status`, { method: 'POST', body: { status, version: offer!.version } });
      setMsg({ ok: true, text: `${t('status')}: ${t(`st_${r.offer.status}` as 'st_draft') ?? r.offer.status} · v${r.offer.version}` });
      await load(r.offer.id);
    } catch (x) {
      setMsg({ ok: false, text: (x as ApiError).message });
    }
  };
  const check = async () => {
    try {
      setMatch(await api(`/sites/${site.id}/offers/preview-match`, { method: 'POST', body: { profile: sample, target: toTarget(builder), locale } }));
    } catch (x) {
      setMatch((x as ApiError).status === 404 ? t('noSuchCustomer') : (x as Error).message);
    }
  };

  const content = full.content[locale] ?? Object.values(full.content)[0] ?? { title: '' };
  const decision: Decision = { placement: full.placements[0] ?? 'preview', decisionId: 'preview', reason: 'preview', offer: { id: full.id || 'new', version: offer?.version ?? 0, kind: full.kind, locale, content: { ...content, title: content.title || '…' }, items: full.items } };

  return (
    <>
      <div class="head">
        <h1 tabIndex={-1}>{isNew ? t('newOffer') : draft.name}{offer && <> <Status s={offer.status} /></>}</h1>
        <div class="actions">
          {offer && !readOnly && NEXT[offer.status]?.map(([s, label]) => <button type="button" onClick={() => move(s)} data-action={s}>{t(label)}</button>)}
          {/* Save sits in the heading as well as under the form: a long form need not be scrolled to save, and nothing floats over the fields. */}
          {!readOnly && <button class="primary" type="submit" form="offer-form" data-action="save">{t('save')}</button>}
        </div>
      </div>
      {readOnly && <p class="note" role="note">{t('readOnly')}</p>}
      {msg && <p class={msg.ok ? 'ok' : 'error'} role={msg.ok ? 'status' : 'alert'}>{msg.text}</p>}
      {figures && <p class="muted">{t('impressions')}: <strong data-testid="impressions">{num(figures.impressions)}</strong> · {t('clicks')}: {num(figures.clicks)} · {t('conversions')}: {num(figures.conversions)} · {t('decisions')}: {num(figures.decisions)}</p>}
      <div class="editor">
        <form id="offer-form" onSubmit={save} noValidate>
          <fieldset disabled={readOnly} class="plain">
            <OfferForm draft={draft} builder={builder} isNew={isNew} err={err}
              set={(p) => setDraft({ ...draft, ...p })} setB={(p) => setBuilder({ ...builder, ...p })} touch={(p) => setTouched(new Set(touched).add(p))} />
            {!readOnly && <div class="form-actions"><button class="primary" type="submit">{t('save')}</button>{errors.size > 0 && submitted && <span class="error">{errors.size} × {t('invalid')}</span>}</div>}
          </fieldset>
        </form>
        <aside class="side-panel">
          <section class="card" aria-labelledby="pv-h">
            <h2 id="pv-h">{t('preview')}</h2>
            <div class="row">
              <label class="field">{t('locale')}
                <select value={locale} onChange={(e) => setLocale((e.currentTarget as HTMLSelectElement).value)}>{LOCALES.map((l) => <option value={l}>{l}</option>)}</select>
              </label>
            </div>
            <Preview decision={decision} locale={locale} currency={site.currency} />
            <div class="row end">
              <label class="field grow">{t('sample')}<input value={sample} onInput={(e) => setSample((e.currentTarget as HTMLInputElement).value)} /></label>
              <button type="button" onClick={check} disabled={!sample}>{t('check')}</button>
            </div>
            {match && (typeof match === 'string' ? <p class="error" role="alert">{match}</p> : (
              <p class={match.ok ? 'ok' : 'error'} role="status" data-testid="match">{match.ok ? '✓ ' + t('matches') : '✗ ' + t('noMatch')} · {t('tier')}: {match.tier ?? '—'}{match.matched.length ? ' · ' + match.matched.join(', ') : ''}</p>
            ))}
          </section>
          {history.length > 0 && (
            <section class="card" aria-labelledby="hist-h">
              <h2 id="hist-h">{t('history')}</h2>
              <ol class="history">{[...history].sort((a, b) => b.version - a.version).map((h) => <li><strong>v{h.version}</strong> <Status s={h.status} /> {date(h.updatedAt)} <span class="muted">{t('by')} {h.updatedBy}</span></li>)}</ol>
            </section>
          )}
          {offer && <p class="muted small">{t('holdout')}: {pct(offer.holdoutShare ?? 0, 0)}</p>}
        </aside>
      </div>
    </>
  );
}

/** A field's problem in the reader's words: the common ones translated, the rest as the schema says. */
export function fieldProblem(i: { code: string; message: string; origin?: string; minimum?: unknown; maximum?: unknown }): string {
  // A field emptied (the form stores an empty text as undefined): "Required.", not zod's "expected string, received undefined".
  if (i.code === 'invalid_type' && /received undefined$/.test(i.message)) return t('fieldRequired');
  if (i.origin === 'string' && i.code === 'too_small') return Number(i.minimum) <= 1 ? t('fieldRequired') : t('fieldTooShort').replace('{n}', String(i.minimum));
  if (i.origin === 'string' && i.code === 'too_big') return t('fieldTooLong').replace('{n}', String(i.maximum));
  // The offer schema's own messages (offers/schema.ts), in the reader's language.
  const ours = SCHEMA_MESSAGES[i.message];
  return ours ? t(ours) : i.message;
}

const SCHEMA_MESSAGES: Record<string, Key> = {
  'id: lowercase letters, digits and dashes': 'fieldSlug', 'link must be https: or a same-origin path starting with /': 'fieldLink',
  'at least one placement': 'fieldPlacement', 'title is required': 'fieldTitle', 'locale like "en" or "vi"': 'fieldLocale',
  'content needs at least one locale': 'fieldContent',
};
