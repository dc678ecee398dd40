/**
 * The console's entry chunk: sign-in / one-time set-up, the shell (navigation, site and
 * language pickers) and a tiny router. Each page is loaded as its own chunk on first visit.
 */
import { render, type ComponentType } from 'preact';
import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import { api, ApiError, setCsrf, type Me } from './api.ts';
import { lang, setLang, t, type Key } from './i18n.ts';

export interface PageProps { me: Me; site: Me['sites'][number]; path: string[]; go(to: string): void }

const PAGES: Record<string, () => Promise<{ default: ComponentType<PageProps> }>> = {
  overview: () => import('./pages/overview.tsx'),
  offers: () => import('./pages/offers.tsx'),
  customers: () => import('./pages/customers.tsx'),
  experiments: () => import('./pages/experiments.tsx'),
  data: () => import('./pages/data.tsx'),
  settings: () => import('./pages/settings.tsx'),
};

const route = () => location.pathname.replace(/^\/admin\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);

function SignIn({ setup, done }: { setup: boolean; done(me: Me): void }) {
  const [err, setErr] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    setBusy(true);
    setErr('');
    try {
      const body = { email: f.get('email'), password: f.get('password'), ...(setup ? { siteSecret: f.get('siteSecret') } : {}) };
      done(await api<Me>(setup ? '/setup' : '/login', { method: 'POST', body }));
    } catch (x) {
      // The sign-in refusals in the reader's language; others as the server words them.
      const code = (x as { code?: string }).code;
      const retry = /(\d+) s\b/.exec((x as Error).message)?.[1];
      setErr(code === 'bad_credentials' ? t('badCredentials') : code === 'too_many_attempts' ? t('tooManyAttempts').replace('{s}', retry ?? '60')
        : code === 'bad_site_secret' ? t('badSiteSecret') : (x as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="login">
      <form class="card" onSubmit={submit} aria-labelledby="login-h">
        <div class="brand"><span class="logo" aria-hidden="true">i</span> idic</div>
        <h1 id="login-h">{setup ? t('setupTitle') : t('signIn')}</h1>
        {setup && <p class="muted">{t('setupHelp')}</p>}
        <label>{t('email')}<input name="email" type="email" autocomplete="username" required /></label>
        <label>{t('password')}<input name="password" type="password" autocomplete={setup ? 'new-password' : 'current-password'} minLength={setup ? 12 : undefined} required /></label>
        {setup && <label>{t('siteSecret')}<input name="siteSecret" type="password" autocomplete="off" spellcheck={false} required /></label>}
        {err && <p class="error" role="alert">{err}</p>}
        <button class="primary" disabled={busy}>{setup ? t('create') : t('signIn')}</button>
        <LangPicker />
      </form>
    </main>
  );
}

function LangPicker() {
  const [, bump] = useState(0);
  return (
    <div class="lang" role="group" aria-label={t('language')}>
      {(['en', 'vi'] as const).map((l) => (
        <button type="button" aria-pressed={lang() === l} onClick={() => { setLang(l); bump((n) => n + 1); window.dispatchEvent(new Event('idic-lang')); }}>{l === 'en' ? 'English' : 'Tiếng Việt'}</button>
      ))}
    </div>
  );
}

function Shell({ me, out }: { me: Me; out(): void }) {
  const [path, setPath] = useState(route);
  const [siteId, setSite] = useState(() => localStorage.getItem('idic-console-site') ?? me.sites[0]?.id);
  const [Page, setPage] = useState<{ c: ComponentType<PageProps> } | null>(null);
  const [, bump] = useState(0);
  const page = PAGES[path[0]] ? path[0] : 'overview';
  const go = (to: string) => {
    history.pushState(null, '', '/admin/' + to);
    setPath(route());
  };
  useEffect(() => {
    const pop = () => setPath(route());
    const re = () => bump((n) => n + 1);
    addEventListener('popstate', pop);
    addEventListener('idic-lang', re);
    return () => { removeEventListener('popstate', pop); removeEventListener('idic-lang', re); };
  }, []);
  useEffect(() => {
    let live = true;
    setPage(null);
    PAGES[page]().then((m) => live && setPage({ c: m.default }));
    return () => void (live = false);
  }, [page]);
  useLayoutEffect(() => {
    document.title = `${t(page as Key)} · idic`;
    // Move focus to the page heading after navigation, for keyboard and screen-reader users —
    // unless they are already typing in the new page (a fast user, or a test, must not have
    // focus pulled out of the search box). A layout effect runs before the page can be used.
    const main = document.querySelector('main');
    if (main && !main.contains(document.activeElement)) (main.querySelector('h1') as HTMLElement | null)?.focus();
  }, [page, Page]);
  const site = me.sites.find((s) => s.id === siteId) ?? me.sites[0];
  const logout = async () => {
    await api('/logout', { method: 'POST' }).catch(() => {});
    out();
  };
  return (
    <div class="shell">
      <a class="skip" href="#main">{t('skip')}</a>
      <nav class="side" aria-label="Console">
        <div class="brand"><span class="logo" aria-hidden="true">i</span> idic</div>
        <ul>
          {Object.keys(PAGES).map((p) => (
            <li><a href={'/admin/' + p} aria-current={p === page ? 'page' : undefined} onClick={(e) => { e.preventDefault(); go(p); }}>{t(p as Key)}</a></li>
          ))}
        </ul>
        <div class="who"><span>{me.user.email}</span><span class={'role ' + me.user.role}>{t(('role_' + me.user.role) as 'role_owner')}</span></div>
      </nav>
      <div class="main-col">
        <header class="top">
          <label class="site-pick">{t('site')}{' '}
            <select value={site?.id} onChange={(e) => { const v = (e.currentTarget as HTMLSelectElement).value; localStorage.setItem('idic-console-site', v); setSite(v); }}>
              {me.sites.map((s) => <option value={s.id}>{s.name}</option>)}
            </select>
          </label>
          <LangPicker />
          <button type="button" class="ghost" onClick={logout}>{t('signOut')}</button>
        </header>
        <main id="main" key={page + (site?.id ?? '') + lang()}>
          {!site ? <p>No site yet: create one with <code>idic site create</code>.</p> : Page ? <Page.c me={me} site={site} path={path.slice(1)} go={go} /> : <p class="muted" role="status">{t('loading')}</p>}
        </main>
      </div>
    </div>
  );
}

function App() {
  const [state, set] = useState<{ me?: Me; setup?: boolean } | null>(null);
  const load = () => api<Me>('/me').then((me) => { setCsrf(me.csrf); set({ me }); }).catch(async (e) => {
    if (!(e instanceof ApiError) || e.status !== 401) throw e;
    const s = await api<{ needed: boolean }>('/setup');
    set({ setup: s.needed });
  });
  useEffect(() => void load(), []);
  if (!state) return <p class="muted" role="status">{t('loading')}</p>;
  if (!state.me) return <SignIn setup={!!state.setup} done={(me) => { setCsrf(me.csrf); set({ me }); }} />;
  return <Shell me={state.me} out={() => set({ setup: false })} />;
}

setLang(lang());
render(<App />, document.getElementById('app')!);
