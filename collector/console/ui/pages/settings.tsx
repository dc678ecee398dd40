/**
 * Settings: keys (with rotation and a grace period), origins, identity verification, consent,
 * tier thresholds, loyalty rules (their own chunk: the editor brings zod), accounts.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ComponentType } from 'preact';
import type { PageProps } from '../main.tsx';
import { api, ApiError } from '../api.ts';
import { useApi } from '../use-api.ts';
import { t } from '../i18n.ts';
import { date } from '../format.ts';
import { Loading } from '../parts.tsx';

export default function SettingsPage({ site, me }: PageProps) {
  const { data, error, reload } = useApi<any>(`/sites/${site.id}/settings`);
  const owner = me.user.role === 'owner';
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [fresh, setFresh] = useState<{ key: string; oldExpiresAt: number } | null>(null);
  if (!data) return <Loading error={error} title={t('settings')} />;
  const s = data.settings;
  const save = async (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const body = {
      origins: String(f.get('origins')).split('\n').map((x) => x.trim()).filter(Boolean),
      consentMode: f.get('consentMode'), verifyIdentity: f.get('verifyIdentity') === 'on', honorGlobalPrivacyControl: f.get('gpc') === 'on',
      scoring: { ...s.scoring, tiers: { ...s.scoring.tiers, mvcTopShare: Number(f.get('mvc')) / 100, mgcGapRatio: Number(f.get('mgc')), migratorDrop: Number(f.get('mig')) / 100 } },
    };
    try { await api(`/sites/${site.id}/settings`, { method: 'PATCH', body }); setMsg({ ok: true, text: t('saved') }); reload(); } catch (x) { setMsg({ ok: false, text: (x as Error).message }); }
  };
  const rotate = async (kind: 'write' | 'secret') => {
    try { setFresh(await api(`/sites/${site.id}/keys/rotate`, { method: 'POST', body: { kind, graceDays: 7 } })); reload(); } catch (x) { setMsg({ ok: false, text: (x as Error).message }); }
  };
  return (
    <>
      <h1 tabIndex={-1}>{t('settings')} · {data.name}</h1>
      {msg && <p class={msg.ok ? 'ok' : 'error'} role={msg.ok ? 'status' : 'alert'}>{msg.text}</p>}
      <section class="card" aria-labelledby="keys-h">
        <h2 id="keys-h">{t('writeKey')} · {t('secretKey')}</h2>
        <dl class="facts">
          <dt>{t('writeKey')}</dt><dd><code>{data.writeKey}</code> {owner && <button type="button" onClick={() => rotate('write')}>{t('rotate')}</button>}</dd>
          {data.secretKey && <><dt>{t('secretKey')}</dt><dd><code>{data.secretKey}</code> {owner && <button type="button" onClick={() => rotate('secret')}>{t('rotate')}</button>}</dd></>}
        </dl>
        {fresh && <p class="note" role="status">{t('rotated')} <code>{fresh.key}</code> — {t('grace')} {date(fresh.oldExpiresAt)}</p>}
        {data.retiring.length > 0 && <p class="muted small">{t('retiring')}: {data.retiring.map((k: any) => `${k.kind} ${k.prefix} → ${date(k.expiresAt)}`).join(' · ')}</p>}
      </section>
      <form class="card" onSubmit={save} aria-labelledby="set-h">
        <h2 id="set-h">{t('settings')}</h2>
        <fieldset disabled={!owner} class="plain">
          <div class="field"><label for="origins">{t('origins')}</label><textarea id="origins" name="origins" rows={3}>{s.origins.join('\n')}</textarea></div>
          <div class="row">
            <div class="field"><label for="consent">{t('consentMode')}</label><select id="consent" name="consentMode" value={s.consentMode}><option value="opt-out">{t('consent_optOut')}</option><option value="opt-in">{t('consent_optIn')}</option></select></div>
          </div>
          <div class="checks">
            <label class="check"><input type="checkbox" name="verifyIdentity" checked={s.verifyIdentity} />{t('verifyIdentity')}</label>
            <label class="check"><input type="checkbox" name="gpc" checked={s.honorGlobalPrivacyControl} />{t('gpc')}</label>
          </div>
          <h3>{t('thresholds')}</h3>
          <div class="row">
            <div class="field"><label for="mvc">{t('mvcTop')} (%)</label><input id="mvc" name="mvc" type="number" min="0" max="100" step="0.5" value={s.scoring.tiers.mvcTopShare * 100} /></div>
            <div class="field"><label for="mgc">{t('mgcGap')} (×)</label><input id="mgc" name="mgc" type="number" min="1" step="0.1" value={s.scoring.tiers.mgcGapRatio} /></div>
            <div class="field"><label for="mig">{t('migratorDrop')} (%)</label><input id="mig" name="mig" type="number" min="0" max="100" step="1" value={s.scoring.tiers.migratorDrop * 100} /></div>
          </div>
          {owner && <button class="primary">{t('save')}</button>}
        </fieldset>
      </form>
      <Lazy load={() => import('./loyalty-rules.tsx')} props={{ site, rules: s.loyalty, editable: owner, saved: reload }} />
      {owner && <Users />}
    </>
  );
}

function Users() {
  const { data, reload } = useApi<{ users: { id: string; email: string; role: string; createdAt: number }[] }>('/users');
  const [msg, setMsg] = useState('');
  const add = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    try { await api('/users', { method: 'POST', body: { email: f.get('email'), role: f.get('role'), password: f.get('password') } }); form.reset(); setMsg(''); reload(); } catch (x) { setMsg((x as ApiError).code === 'exists' ? t('accountExists') : (x as Error).message); }
  };
  return (
    <section class="card" aria-labelledby="users-h">
      <h2 id="users-h">{t('users')}</h2>
      <table><thead><tr><th scope="col">{t('email')}</th><th scope="col">{t('role')}</th><th scope="col">⏱</th></tr></thead>
        <tbody>{data?.users.map((u) => <tr><td>{u.email}</td><td><span class={'role ' + u.role}>{t(('role_' + u.role) as 'role_owner')}</span></td><td>{date(u.createdAt)}</td></tr>)}</tbody></table>
      <form class="row end" onSubmit={add}>
        <div class="field"><label for="nu-email">{t('email')}</label><input id="nu-email" name="email" type="email" required /></div>
        <div class="field"><label for="nu-role">{t('role')}</label><select id="nu-role" name="role">{(['marketer', 'analyst', 'owner'] as const).map((r) => <option value={r}>{t(`role_${r}`)}</option>)}</select></div>
        <div class="field"><label for="nu-pw">{t('password')}</label><input id="nu-pw" name="password" type="password" minLength={12} required autocomplete="new-password" /></div>
        <button>{t('addUser')}</button>
      </form>
      {msg && <p class="error" role="alert">{msg}</p>}
    </section>
  );
}

/** A component from a chunk loaded on first render. */
function Lazy<P>({ load, props }: { load: () => Promise<{ default: ComponentType<P> }>; props: P }) {
  const [C, set] = useState<{ c: ComponentType<P> } | null>(null);
  useEffect(() => void load().then((m) => set({ c: m.default })), []);
  return C ? <C.c {...(props as any)} /> : <p class="muted card" role="status">{t('loading')}</p>;
}
