/**
 * Data: CSV import of customers and orders through the collector's import services (one
 * request per file, progress streamed back as batches commit, bad rows listed by their line in
 * the file), and the shop model: fit status and parameters, with "Refit now" for owners.
 */
import { useState } from 'preact/hooks';
import type { PageProps } from '../main.tsx';
import { api, apiLines } from '../api.ts';
import { useApi } from '../use-api.ts';
import { t } from '../i18n.ts';
import { date, money, num } from '../format.ts';
import { rowError } from '../import-words.ts';

type Kind = 'customers' | 'orders';
interface RowError { line: number; reason: string }

/** The headline of a finished import, from either service's report. */
function summary(kind: Kind, r: any): string {
  return kind === 'customers'
    ? `${num(r.rows)} ${t('rowsDone')} · ${num(r.created)} ${t('created')} · ${num(r.updated)} ${t('updated')} · ${num(r.unchanged)} ${t('unchanged')} · ${num(r.failed)} ${t('rejectedRows')}`
    : `${num(r.rows)} ${t('rowsDone')} · ${num(r.imported)} ${t('accepted')} · ${num(r.duplicates)} ${t('duplicates')} · ${num(r.rejected)} ${t('rejectedRows')} · ${num(r.rescored)} ${t('rescored').toLowerCase()}`;
}

function Importer({ site, kind, can }: { site: PageProps['site']; kind: Kind; can: boolean }) {
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<any>(null);
  const [fail, setFail] = useState('');
  const run = async (file: File) => {
    setBusy(true); setProgress(null); setReport(null); setFail('');
    try {
      await apiLines(`/sites/${site.id}/import/${kind}`, file, 'text/csv', (l) => {
        if (l.progress) setProgress(l.progress);
        if (l.report) setReport(l.report);
        if (l.error) setFail(l.error.message);
      });
    } catch (e) {
      setFail((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const id = 'imp-' + kind;
  const title = kind === 'customers' ? t('importCustomers') : t('importOrders');
  const rows: (RowError & { key?: string })[] = report ? [...report.errors, ...(report.conflicts ?? [])].sort((a, b) => a.line - b.line) : [];
  return (
    <section class="card" aria-labelledby={id + '-h'} data-testid={id}>
      <h2 id={id + '-h'}>{title}</h2>
      <p class="muted small">{kind === 'customers' ? t('columnsC') : t('columnsO')}</p>
      <label for={id} class="sr">{title}</label>
      <input id={id} type="file" accept=".csv,text/csv" disabled={!can || busy} onChange={(e) => { const f = (e.currentTarget as HTMLInputElement).files?.[0]; if (f) void run(f); }} />
      {(busy || progress) && (
        <>
          {/* Without a value the bar is indeterminate: the file is uploading and being read. */}
          <progress max={progress?.total || 1} value={progress ? progress.done : undefined} aria-label={progress ? `${progress.done} / ${progress.total} ${t('rowsDone')}` : t('loading')} />
          <p role="status" class="small">{progress ? `${num(progress.done)} / ${num(progress.total)} ${t('rowsDone')}` : t('loading')}</p>
        </>
      )}
      {report && <p class={(kind === 'customers' ? report.failed : report.rejected) ? 'ok warn' : 'ok'} role="status">{summary(kind, report)}</p>}
      {fail && <p class="error" role="alert">{fail}</p>}
      {rows.length > 0 && (
        <div class="scroll">
          <table class="errors">
            <caption>{t('rowErrors')}{report.truncated ? ' (…)' : ''}</caption>
            <thead><tr><th scope="col" class="n">{t('line')}</th><th scope="col">{t('reason')}</th></tr></thead>
            <tbody>{rows.slice(0, 500).map((e) => <tr><td class="n">{e.line}</td><td>{e.key ? <span class="badge">{t('conflicts')}</span> : null} {rowError(e.reason)}</td></tr>)}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}

interface Fit { at: string; calibrationEnd: string; unit: string; trigger: string; loadMs: number; fitMs: number; rescoreMs: number; profilesRescored: number }
interface ModelView {
  customers: number; unit: string | null; calibrationEnd: string | null; repeatCustomers: number | null; mvcClv: number | null;
  bgnbd: { r: number; alpha: number; a: number; b: number } | null; gammaGamma: { p: number; q: number; v: number } | null;
  logLikelihood: { bgnbd: number | null; gammaGamma: number | null }; fit: Fit | null;
}
interface Status { running: boolean; lastError: string | null; lastCheckAt: number | null }

function Model({ site, owner }: { site: PageProps['site']; owner: boolean }) {
  const { data, error, reload } = useApi<{ model: ModelView | null; status: Status }>(`/sites/${site.id}/model`);
  const [busy, setBusy] = useState(false);
  const [fail, setFail] = useState('');
  const refit = async () => {
    setBusy(true); setFail('');
    try { await api(`/sites/${site.id}/model/refit`, { method: 'POST' }); reload(); } catch (e) { setFail((e as Error).message); } finally { setBusy(false); }
  };
  const m = data?.model, s = data?.status, ms = (x: number) => `${num(x)} ms`;
  const ts = (iso: string | null | undefined) => (iso ? date(Date.parse(iso)) : '—');
  return (
    <section class="card" aria-labelledby="model-h" data-testid="model">
      <div class="head">
        <h2 id="model-h">{t('model')}</h2>
        {owner && <button type="button" class="primary" onClick={refit} disabled={busy || s?.running} aria-busy={busy}>{busy || s?.running ? t('fitting') : t('refit')}</button>}
      </div>
      {!data ? <p class={error ? 'error' : 'muted'}>{error || t('loading')}</p> : (
        <>
          <p class="small">
            <span class={'badge ' + (s!.running ? 's-paused' : s!.lastError ? 'c-expired' : 'ok')}>{s!.running ? t('fitting') : s!.lastError ? t('lastError') : t('status') + ': ' + t('modelOk')}</span>
            {s!.lastError && <span class="error"> {s!.lastError}</span>}
          </p>
          {!m ? <p class="muted">{t('notFitted')}</p> : (
            <div class="grid2">
              <dl class="facts">
                <dt>{t('fittedAt')}</dt><dd>{ts(m.fit?.at)}{m.fit && <span class="muted small"> · {t('trigger')}: {triggerText(m.fit.trigger)}</span>}</dd>
                <dt>{t('calibrationEnd')}</dt><dd>{ts(m.calibrationEnd)}{m.unit ? <span class="muted small"> · {t(`unit_${m.unit}` as 'unit_week') ?? m.unit}</span> : null}</dd>
                <dt>{t('customers')}</dt><dd>{num(m.customers)}{m.repeatCustomers != null && <span class="muted small"> · {t('repeatBuyers')}: {num(m.repeatCustomers)}</span>}</dd>
                <dt>MVC CLV ≥</dt><dd>{money(m.mvcClv, site.currency)}</dd>
                {m.fit && <><dt>{t('fitTimes')}</dt><dd>{ms(m.fit.loadMs)} · {ms(m.fit.fitMs)} · {ms(m.fit.rescoreMs)}</dd><dt>{t('rescored')}</dt><dd>{num(m.fit.profilesRescored)}</dd></>}
              </dl>
              <dl class="facts">
                <dt>BG/NBD r, α, a, b</dt><dd>{m.bgnbd ? [m.bgnbd.r, m.bgnbd.alpha, m.bgnbd.a, m.bgnbd.b].map((x) => num(x, 3)).join(' · ') : '—'}</dd>
                <dt>Gamma-Gamma p, q, v</dt><dd>{m.gammaGamma ? [m.gammaGamma.p, m.gammaGamma.q, m.gammaGamma.v].map((x) => num(x, 3)).join(' · ') : '—'}</dd>
                <dt>log-likelihood</dt><dd>{num(m.logLikelihood.bgnbd, 1)} · {num(m.logLikelihood.gammaGamma, 1)}</dd>
              </dl>
            </div>
          )}
        </>
      )}
      {fail && <p class="error" role="alert">{fail}</p>}
    </section>
  );
}

/** Why a fit ran, in words: `console:<email>` names who asked; unknown triggers show as stored. */
function triggerText(trigger: string): string {
  const [kind, who] = trigger.split(/:(.*)/s);
  const word = t(`trigger_${kind}` as 'trigger_manual') ?? trigger;
  return who ? `${word} (${who})` : word;
}

export default function DataPage({ site, me }: PageProps) {
  const can = me.user.role !== 'analyst';
  return (
    <>
      <h1 tabIndex={-1}>{t('data')}</h1>
      <div class="grid2">
        <Importer site={site} kind="customers" can={can} />
        <Importer site={site} kind="orders" can={can} />
      </div>
      <Model site={site} owner={me.user.role === 'owner'} />
    </>
  );
}
