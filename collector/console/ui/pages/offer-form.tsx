/** The offer form's sections: basics, content per locale, targeting builder, schedule and caps. */
import type { OfferInput } from '../../../offers/schema.ts';
import { OFFER_KINDS, VALUE_TIERS } from '../../../offers/schema.ts';
import { t, type Key } from '../i18n.ts';
import { Field, kindName } from '../parts.tsx';
import { list, type Builder } from '../targeting.ts';

export const LOCALES = ['en', 'vi'] as const;
type Draft = OfferInput & { content: Record<string, Record<string, string | undefined>> };

export interface FormProps {
  draft: Draft;
  builder: Builder;
  isNew: boolean;
  err(path: string): string | undefined;
  set(patch: Partial<Draft>): void;
  setB(patch: Partial<Builder>): void;
  touch(path: string): void;
}

const numOrUndef = (v: string) => (v.trim() === '' ? undefined : Number(v));
const toLocalInput = (iso?: string) => (iso ? new Date(new Date(iso).getTime() - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16) : '');
const fromLocalInput = (v: string) => (v ? new Date(v).toISOString() : undefined);

export function OfferForm({ draft, builder, isNew, err, set, setB, touch }: FormProps) {
  const text = (path: string, label: Key, value: string | undefined, on: (v: string) => void, type = 'text') => (
    <Field id={'f-' + path} label={t(label)} error={err(path)}>
      <input id={'f-' + path} type={type as 'text'} value={value ?? ''} aria-invalid={!!err(path)} aria-describedby={err(path) ? `f-${path}-err` : undefined}
        onInput={(e) => { touch(path); on((e.currentTarget as HTMLInputElement).value); }} />
    </Field>
  );
  const number = (path: string, label: Key, value: number | undefined, on: (v: number | undefined) => void, step = '1') => (
    <Field id={'f-' + path} label={t(label)} error={err(path)}>
      <input id={'f-' + path} type="number" step={step} value={value ?? ''} aria-invalid={!!err(path)}
        onInput={(e) => { touch(path); on(numOrUndef((e.currentTarget as HTMLInputElement).value)); }} />
    </Field>
  );
  const caps = draft.caps ?? { stopAfterConversion: true, stopAfterDismiss: true };
  const content = (loc: string, k: string, v: string) => {
    const c = { ...draft.content, [loc]: { ...(draft.content[loc] ?? { title: '' }), [k]: v || undefined } };
    set({ content: c });
  };
  return (
    <>
      <fieldset class="card">
        <legend>{t('name')}</legend>
        <div class="row">
          {isNew && text('id', 'id', draft.id, (v) => set({ id: v }))}
          {text('name', 'name', draft.name, (v) => set({ name: v }))}
        </div>
        <div class="row">
          <Field id="f-kind" label={t('kind')}>
            <select id="f-kind" value={draft.kind} onChange={(e) => set({ kind: (e.currentTarget as HTMLSelectElement).value as Draft['kind'] })}>
              {OFFER_KINDS.map((k) => <option value={k}>{kindName(k)}</option>)}
            </select>
          </Field>
          {text('placements', 'placements', draft.placements.join(', '), (v) => set({ placements: list(v) }))}
          {number('priority', 'priority', draft.priority, (v) => set({ priority: v }))}
        </div>
        <div class="row">
          {number('cost', 'cost', draft.cost, (v) => set({ cost: v }))}
          {number('expectedValue', 'expectedValue', draft.expectedValue, (v) => set({ expectedValue: v }))}
          {number('budget', 'budget', draft.budget, (v) => set({ budget: v }))}
        </div>
      </fieldset>

      {LOCALES.map((loc) => {
        const c = draft.content[loc] ?? {};
        const p = (k: string) => `content.${loc}.${k}`;
        return (
          <fieldset class="card">
            <legend>{t('content')} · {loc === 'en' ? 'English' : 'Tiếng Việt'}</legend>
            {loc === LOCALES[0] && err('content') && <p class="error small" role="alert" data-testid="content-err">{err('content')}</p>}
            <div class="row">{text(p('title'), 'title', c.title, (v) => content(loc, 'title', v))}{text(p('cta'), 'cta', c.cta, (v) => content(loc, 'cta', v))}</div>
            {text(p('body'), 'body', c.body, (v) => content(loc, 'body', v))}
            <div class="row">{text(p('link'), 'link', c.link, (v) => content(loc, 'link', v))}{text(p('image'), 'image', c.image, (v) => content(loc, 'image', v))}{text(p('code'), 'code', c.code, (v) => content(loc, 'code', v))}</div>
          </fieldset>
        );
      })}

      <fieldset class="card">
        <legend>{t('targeting')}</legend>
        <div class="field"><span class="lbl" id="tiers-l">{t('tiers')}</span>
          <div class="checks" role="group" aria-labelledby="tiers-l">
            {VALUE_TIERS.map((tier) => (
              <label class={'check chip t-' + tier}><input type="checkbox" name="tier" value={tier} checked={builder.tiers.includes(tier)}
                onChange={(e) => setB({ tiers: (e.currentTarget as HTMLInputElement).checked ? [...builder.tiers, tier] : builder.tiers.filter((x) => x !== tier) })} />{tier}</label>
            ))}
          </div>
        </div>
        <div class="row">
          <Field id="f-aff" label={t('affinity')} error={err('target')}>
            <input id="f-aff" value={builder.affinity?.category ?? ''} placeholder="coffee"
              onInput={(e) => { const v = (e.currentTarget as HTMLInputElement).value.trim(); setB({ affinity: v ? { category: v, min: builder.affinity?.min ?? 0.4 } : null }); }} />
          </Field>
          <Field id="f-affmin" label={t('minAffinity')}>
            <input id="f-affmin" type="number" min="0" max="1" step="0.05" value={builder.affinity?.min ?? 0.4} disabled={!builder.affinity}
              onInput={(e) => builder.affinity && setB({ affinity: { ...builder.affinity, min: Number((e.currentTarget as HTMLInputElement).value) } })} />
          </Field>
        </div>
        <div class="row">
          <Field id="f-needs" label={t('needs')}><input id="f-needs" value={builder.needs.join(', ')} onInput={(e) => setB({ needs: list((e.currentTarget as HTMLInputElement).value) })} /></Field>
          <Field id="f-pages" label={t('pages')}><input id="f-pages" value={builder.pages.join(', ')} placeholder="/c/coffee*" onInput={(e) => setB({ pages: list((e.currentTarget as HTMLInputElement).value) })} /></Field>
        </div>
        {builder.extra.length > 0 && <p class="muted small">+ {builder.extra.length} × {JSON.stringify(builder.extra).slice(0, 160)}</p>}
        <div class="row">
          <Field id="f-holdout" label={`${t('holdout')} (%)`} error={err('holdoutShare')}>
            <input id="f-holdout" type="number" min="0" max="50" step="1" value={Math.round((draft.holdoutShare ?? 0) * 100)}
              onInput={(e) => { touch('holdoutShare'); set({ holdoutShare: Number((e.currentTarget as HTMLInputElement).value) / 100 }); }} />
          </Field>
        </div>
      </fieldset>

      <fieldset class="card">
        <legend>{t('schedule')} · {t('caps')}</legend>
        <div class="row">
          {text('schedule.start', 'start', toLocalInput(draft.schedule?.start), (v) => set({ schedule: { ...draft.schedule, start: fromLocalInput(v) } }), 'datetime-local')}
          {text('schedule.end', 'end', toLocalInput(draft.schedule?.end), (v) => set({ schedule: { ...draft.schedule, end: fromLocalInput(v) } }), 'datetime-local')}
        </div>
        <div class="row">
          {number('caps.perSession', 'perSession', caps.perSession, (v) => set({ caps: { ...caps, perSession: v } }))}
          {number('caps.perDay', 'perDay', caps.perDay, (v) => set({ caps: { ...caps, perDay: v } }))}
          {number('caps.perWeek', 'perWeek', caps.perWeek, (v) => set({ caps: { ...caps, perWeek: v } }))}
        </div>
        <div class="checks">
          <label class="check"><input type="checkbox" checked={caps.stopAfterConversion !== false} onChange={(e) => set({ caps: { ...caps, stopAfterConversion: (e.currentTarget as HTMLInputElement).checked } })} />{t('stopConv')}</label>
          <label class="check"><input type="checkbox" checked={caps.stopAfterDismiss !== false} onChange={(e) => set({ caps: { ...caps, stopAfterDismiss: (e.currentTarget as HTMLInputElement).checked } })} />{t('stopDismiss')}</label>
        </div>
      </fieldset>
    </>
  );
}
