/**
 * The loyalty part of the customer 360: balance, tier and progress to the next one, points
 * about to expire, the ledger with its reasons, the reward codes issued, and (owner, marketer)
 * a points adjustment with a reason. The server checks the role again.
 */
import { useState } from 'preact/hooks';
import type { LoyaltyState } from '../../../protocol.ts';
import type { PageProps } from '../main.tsx';
import { api } from '../api.ts';
import { useApi } from '../use-api.ts';
import { lang, t } from '../i18n.ts';
import { date, money, num, pct } from '../format.ts';
import { entryKind, entryReason, type LoyaltyNames } from '../ledger-words.ts';

interface Entry { id: string; kind: string; points: number; reason: string; at: number; expiresAt: number | null }
interface Code { code: string; rewardId: string; createdAt: number; expiresAt: number; usedAt: number | null; status: 'open' | 'used' | 'expired' }
interface Loyalty { enabled: boolean; state: LoyaltyState | null; ledger: Entry[]; codes: Code[]; names: LoyaltyNames }

const signed = (n: number) => (n > 0 ? '+' : '') + num(n);

export function LoyaltyCard({ site, me, profileId }: Pick<PageProps, 'site' | 'me'> & { profileId: string }) {
  const base = `/sites/${site.id}/customers/${encodeURIComponent(profileId)}/loyalty`;
  const path = `${base}?locale=${lang()}`;
  const { data, error, reload } = useApi<Loyalty>(path);
  const canAdjust = me.user.role !== 'analyst';
  if (!data) return <section class="card"><h2>{t('loyalty')}</h2><p class={error ? 'error' : 'muted'}>{error || t('loading')}</p></section>;
  const s = data.state;
  const next = s?.nextTier;
  return (
    <section class="card loyalty" aria-labelledby="loy-h" data-testid="loyalty">
      <h2 id="loy-h">{t('loyalty')}</h2>
      {!data.enabled && <p class="muted">{t('loyaltyOff')}</p>}
      {data.enabled && !s && <p class="muted">{t('notMember')}</p>}
      {s && (
        <div class="loy-head">
          <div class="kpi"><span class="k">{t('balance')}</span><strong class="v" data-testid="balance">{num(s.balance)}</strong></div>
          <div class="kpi"><span class="k">{t('memberTier')}</span><strong class="v">{s.tier}</strong></div>
          <div class="kpi grow">
            {next ? (
              <>
                <span class="k">{next.unit === 'currency' ? money(next.remaining, s.currency) : `${num(next.remaining)} ${t('points').toLowerCase()}`} {t('moreTo')} {next.name}</span>
                <span class="meter wide" role="meter" aria-valuemin={0} aria-valuemax={1} aria-valuenow={next.progress} aria-label={`${next.name}: ${pct(next.progress, 0)}`}><i style={{ width: Math.round(next.progress * 100) + '%' }} /></span>
                <span class="small muted">{pct(next.progress, 0)}</span>
              </>
            ) : <span class="k">{t('topTier')}</span>}
          </div>
          {s.expiring && <div class="kpi"><span class="k">{t('expiringPts')}</span><strong class="v warn">{num(s.expiring.points)}</strong><span class="small muted">{date(s.expiring.at)}</span></div>}
        </div>
      )}
      <div class="grid2">
        <div>
          <h3>{t('ledger')}</h3>
          {data.ledger.length ? (
            <div class="scroll">
              <table class="ledger">
                <thead><tr><th scope="col">⏱</th><th scope="col">{t('kind')}</th><th scope="col" class="n">{t('points')}</th><th scope="col">{t('reason')}</th></tr></thead>
                <tbody>{data.ledger.map((e) => (
                  <tr><td class="nowrap">{date(e.at)}</td><td><span class={'badge k-' + e.kind}>{entryKind(e.kind)}</span></td><td class={'n nowrap ' + (e.points < 0 ? 'down' : 'up')}>{signed(e.points)}</td><td>{entryReason(e.kind, e.reason, data.names)}</td></tr>
                ))}</tbody>
              </table>
            </div>
          ) : <p class="muted">—</p>}
        </div>
        <div>
          <h3>{t('codes')}</h3>
          {data.codes.length ? (
            <table>
              <thead><tr><th scope="col">{t('code')}</th><th scope="col">{t('reward')}</th><th scope="col">{t('status')}</th><th scope="col">{t('expires')}</th></tr></thead>
              <tbody>{data.codes.map((c) => (
                <tr><td><code>{c.code}</code></td><td>{data.names.rewards[c.rewardId] ?? c.rewardId}</td><td><span class={'badge c-' + c.status}>{t(('code_' + c.status) as 'code_open')}</span></td><td class="nowrap">{c.usedAt ? `${t('usedOn')} ${date(c.usedAt)}` : date(c.expiresAt)}</td></tr>
              ))}</tbody>
            </table>
          ) : <p class="muted">—</p>}
          {canAdjust && data.enabled && <Adjust path={base} done={reload} />}
        </div>
      </div>
    </section>
  );
}

function Adjust({ path, done }: { path: string; done(): void }) {
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    // The server refuses 0 in English ("points: must not be 0"): say it in the reader's language.
    if (Number(f.get('points')) === 0) return setMsg({ ok: false, text: t('pointsNotZero') });
    setBusy(true);
    try {
      // One key per submitted form: a double click or a retried request counts once.
      const r = await api<{ added: boolean; state: LoyaltyState }>(`${path}/adjust?locale=${lang()}`, { method: 'POST', body: { points: Number(f.get('points')), reason: String(f.get('reason') ?? ''), key: crypto.randomUUID() } });
      setMsg({ ok: true, text: `${t('saved')} · ${t('balance')}: ${num(r.state.balance)}` });
      form.reset();
      done();
    } catch (x) {
      setMsg({ ok: false, text: (x as Error).message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="adjust" onSubmit={submit} aria-labelledby="adj-h">
      <h3 id="adj-h">{t('adjust')}</h3>
      <div class="row end">
        <div class="field narrow"><label for="adj-points">{t('points')}</label><input id="adj-points" name="points" type="number" step="1" min={-1_000_000} max={1_000_000} required /></div>
        <div class="field grow"><label for="adj-reason">{t('reason')}</label><input id="adj-reason" name="reason" maxLength={150} required /></div>
        <button class="primary" disabled={busy}>{t('adjust')}</button>
      </div>
      <p class="muted small">{t('adjustHelp')}</p>
      {msg && <p class={msg.ok ? 'ok' : 'error'} role={msg.ok ? 'status' : 'alert'}>{msg.text}</p>}
    </form>
  );
}
