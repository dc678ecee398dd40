/**
 * The loyalty rules editor of the Settings page, its own chunk (it brings zod): points per
 * currency unit, category multipliers, bonuses, expiry, membership tiers and the rewards
 * catalogue. It validates as you type with the collector's own `loyaltySettings` schema and
 * saves through PATCH /settings (owner only, checked again on the server).
 */
import { useMemo, useState } from 'preact/hooks';
import { loyaltySettings, type LoyaltySettings } from '../../../loyalty/settings.ts';
import type { PageProps } from '../main.tsx';
import { api } from '../api.ts';
import { t } from '../i18n.ts';

type Path = (string | number)[];

/** A copy of `obj` with the value at `path` replaced (arrays and objects copied along the way). */
export function setIn<T>(obj: T, path: Path, value: unknown): T {
  if (!path.length) return value as T;
  const [k, ...rest] = path;
  const copy: any = Array.isArray(obj) ? [...obj] : { ...(obj as object) };
  copy[k] = setIn(copy[k], rest, value);
  return copy;
}

/** "coffee = 2" lines ↔ { coffee: 2 }; a line that does not read is reported by number. */
export function parseMultipliers(text: string): { value: Record<string, number>; error: string | null } {
  const value: Record<string, number> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const m = /^(.+?)\s*[=:]\s*([\d.]+)$/.exec(line);
    if (!m) return { value, error: `line ${i + 1}: write "category = multiplier"` };
    value[m[1].trim()] = Number(m[2]);
  }
  return { value, error: null };
}
const showMultipliers = (r: Record<string, number>) => Object.entries(r).map(([k, v]) => `${k} = ${v}`).join('\n');

export default function LoyaltyRules({ site, rules, editable, saved }: { site: PageProps['site']; rules: LoyaltySettings; editable: boolean; saved(): void }) {
  const [draft, setDraft] = useState<LoyaltySettings>(rules);
  const [mult, setMult] = useState(showMultipliers(rules.earn.categoryMultipliers));
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const parsedMult = parseMultipliers(mult);
  // A locale left empty is no name in that language, not an empty one.
  const rewardsOut = draft.rewards.map((r) => ({ ...r, name: Object.fromEntries(Object.entries(r.name).filter(([, v]) => v.trim())) }));
  const full = { ...draft, earn: { ...draft.earn, categoryMultipliers: parsedMult.value }, rewards: rewardsOut };
  const result = useMemo(() => loyaltySettings.safeParse(full), [draft, mult]);
  const errors = new Map<string, string>();
  if (!result.success) for (const i of result.error.issues) errors.set(i.path.map(String).join('.'), i.message);
  if (parsedMult.error) errors.set('earn.categoryMultipliers', parsedMult.error);

  const set = (path: Path, v: unknown) => setDraft(setIn(draft, path, v));
  const id = (path: Path) => 'ly-' + path.join('-');
  const err = (path: Path) => errors.get(path.join('.'));
  const input = (path: Path, label: string, value: string | number, type: 'number' | 'text' = 'number', cls = '', e = err(path)) => {
    return (
      <div class={'field ' + cls + (e ? ' bad' : '')}>
        <label for={id(path)}>{label}</label>
        <input id={id(path)} type={type as 'text'} value={value} step="any" aria-invalid={!!e} aria-describedby={e ? id(path) + '-err' : undefined}
          onInput={(ev) => { const v = (ev.currentTarget as HTMLInputElement).value; set(path, type === 'number' ? (v === '' ? NaN : Number(v)) : v); }} />
        {e && <small class="msg" id={id(path) + '-err'} role="alert">{e}</small>}
      </div>
    );
  };
  const save = async (e: Event) => {
    e.preventDefault();
    if (!result.success || parsedMult.error) return setMsg({ ok: false, text: t('invalid') });
    try {
      await api(`/sites/${site.id}/settings`, { method: 'PATCH', body: { loyalty: result.data } });
      setMsg({ ok: true, text: t('saved') });
      saved();
    } catch (x) {
      setMsg({ ok: false, text: (x as Error).message });
    }
  };
  const levels = draft.tiers.levels, rewards = draft.rewards;
  return (
    <form class="card loyalty-rules" onSubmit={save} aria-labelledby="lr-h" noValidate>
      <h2 id="lr-h">{t('loyaltyRules')}</h2>
      <fieldset disabled={!editable} class="plain">
        <label class="check"><input type="checkbox" checked={draft.enabled} onChange={(e) => set(['enabled'], (e.currentTarget as HTMLInputElement).checked)} />{t('enabled')}</label>
        <h3>{t('earnRule')}</h3>
        <div class="row">
          {input(['earn', 'points'], t('earnPoints'), draft.earn.points)}
          {input(['earn', 'per'], `${t('earnPer')} (${site.currency})`, draft.earn.per)}
          {input(['signupBonus'], t('signupBonus'), draft.signupBonus)}
          {input(['birthdayBonus'], t('birthdayBonus'), draft.birthdayBonus)}
        </div>
        <div class="row">
          <div class={'field' + (err(['earn', 'categoryMultipliers']) ? ' bad' : '')}>
            <label for="ly-mult">{t('catMult')}</label>
            <textarea id="ly-mult" rows={3} value={mult} placeholder="coffee = 2" onInput={(e) => setMult((e.currentTarget as HTMLTextAreaElement).value)} />
            {err(['earn', 'categoryMultipliers']) && <small class="msg" role="alert">{err(['earn', 'categoryMultipliers'])}</small>}
          </div>
          {input(['expiryMonths'], t('expiryMonths'), draft.expiryMonths)}
          {input(['expiringWithinDays'], t('expiringDays'), draft.expiringWithinDays)}
        </div>
        <h3>{t('levels')}</h3>
        <div class="row">
          <div class="field"><label for="ly-basis">{t('tierBasis')}</label>
            <select id="ly-basis" value={draft.tiers.basis} onChange={(e) => set(['tiers', 'basis'], (e.currentTarget as HTMLSelectElement).value)}>
              <option value="spend">{t('basisSpend')}</option><option value="points">{t('basisPoints')}</option>
            </select>
          </div>
          {input(['tiers', 'windowMonths'], t('windowMonths'), draft.tiers.windowMonths)}
          {input(['tiers', 'graceMonths'], t('graceMonths'), draft.tiers.graceMonths)}
        </div>
        {err(['tiers', 'levels']) && <p class="error small" role="alert">{err(['tiers', 'levels'])}</p>}
        <table class="edit-table">
          <thead><tr><th scope="col">{t('name')}</th><th scope="col">{t('from')} ({draft.tiers.basis === 'spend' ? site.currency : t('points')})</th><th scope="col">{t('multiplier')}</th><th scope="col"><span class="sr">{t('remove')}</span></th></tr></thead>
          <tbody>{levels.map((l, i) => (
            <tr>
              <td>{input(['tiers', 'levels', i, 'name'], `${t('name')} ${i + 1}`, l.name, 'text', 'bare')}</td>
              <td>{input(['tiers', 'levels', i, 'min'], `${t('from')} ${i + 1}`, l.min, 'number', 'bare')}</td>
              <td>{input(['tiers', 'levels', i, 'multiplier'], `${t('multiplier')} ${i + 1}`, l.multiplier, 'number', 'bare')}</td>
              <td>{editable && <button type="button" class="ghost" disabled={levels.length <= 1} onClick={() => set(['tiers', 'levels'], levels.filter((_, j) => j !== i))}>{t('remove')}</button>}</td>
            </tr>
          ))}</tbody>
        </table>
        {editable && <button type="button" onClick={() => set(['tiers', 'levels'], [...levels, { name: '', min: (levels.at(-1)?.min ?? 0) * 2 || 1, multiplier: 1 }])}>+ {t('add')}</button>}
        <h3>{t('rewards')}</h3>
        {err(['rewards']) && <p class="error small" role="alert">{err(['rewards'])}</p>}
        <ol class="rewards" aria-label={t('rewards')}>{rewards.map((r, i) => (
          <li class="reward">
            <div class="row">
              {input(['rewards', i, 'id'], t('id'), r.id, 'text')}
              {input(['rewards', i, 'name', 'en'], t('nameEn'), r.name.en ?? '', 'text', 'wide', err(['rewards', i, 'name', 'en']) ?? err(['rewards', i, 'name']))}
              {input(['rewards', i, 'name', 'vi'], t('nameVi'), r.name.vi ?? '', 'text', 'wide')}
            </div>
            <div class="row">
              {input(['rewards', i, 'cost'], t('points'), r.cost)}
              <div class="field disc">
                <span class="lbl">{t('discount')}</span>
                <div class="discount">
                  <select aria-label={`${t('discount')} ${i + 1}`} value={r.discount.type} onChange={(e) => set(['rewards', i, 'discount', 'type'], (e.currentTarget as HTMLSelectElement).value)}>
                    <option value="amount">{site.currency}</option><option value="percent">%</option>
                  </select>
                  {input(['rewards', i, 'discount', 'value'], `${t('discount')} ${i + 1}`, r.discount.value, 'number', 'bare')}
                </div>
              </div>
              {input(['rewards', i, 'minOrder'], `${t('minOrder')} (${site.currency})`, r.minOrder)}
              {input(['rewards', i, 'validDays'], t('validDays'), r.validDays)}
              <label class="check tight"><input type="checkbox" checked={r.active} onChange={(e) => set(['rewards', i, 'active'], (e.currentTarget as HTMLInputElement).checked)} />{t('active')}</label>
              {editable && <button type="button" class="ghost tight" onClick={() => set(['rewards'], rewards.filter((_, j) => j !== i))}>{t('remove')}</button>}
            </div>
          </li>
        ))}</ol>
        {editable && <button type="button" onClick={() => set(['rewards'], [...rewards, { id: '', name: { en: '' }, cost: 100, discount: { type: 'amount', value: 0 }, minOrder: 0, validDays: 90, active: true }])}>+ {t('add')}</button>}
        {editable && (
          <div class="form-actions">
            <button class="primary" disabled={errors.size > 0}>{t('save')}</button>
            {errors.size > 0 && <span class="error small">{errors.size} × {t('invalid')}</span>}
          </div>
        )}
        {msg && <p class={msg.ok ? 'ok' : 'error'} role={msg.ok ? 'status' : 'alert'}>{msg.text}</p>}
      </fieldset>
    </form>
  );
}
