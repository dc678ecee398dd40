/** Data: CSV import of customers and orders (chunked, with progress and row errors), and the model fit. */
import { useState } from 'preact/hooks';
import type { PageProps } from '../main.tsx';
import { api } from '../api.ts';
import { useApi } from '../use-api.ts';
import { t } from '../i18n.ts';
import { date, money, num } from '../format.ts';
import { parseCsv } from '../csv.ts';

const CHUNK = 500;

function Importer({ site, kind, can }: { site: PageProps['site']; kind: 'customers' | 'orders'; can: boolean }) {
  const [done, setDone] = useState(0);
  const [total, setTotal] = useState(0);
  const [accepted, setAccepted] = useState(0);
  const [errors, setErrors] = useState<{ line: number; message: string }[]>([]);
  const [fail, setFail] = useState('');
  const run = async (file: File) => {
    const { rows } = parseCsv(await file.text());
    setTotal(rows.length); setDone(0); setAccepted(0); setErrors([]); setFail('');
    const errs: typeof errors = [];
    let ok = 0;
    for (let i = 0; i < rows.length; i += CHUNK) {
      const part = rows.slice(i, i + CHUNK);
      // Lines are numbered from the file; the server reports errors by them.
      const res = await api<{ accepted: number; errors: typeof errors }>(`/sites/${site.id}/import/${kind}`, { method: 'POST', body: { firstLine: part[0].line, rows: part.map((r) => r.values) } })
        .catch((e) => { setFail((e as Error).message); return null; });
      if (!res) return;
      ok += res.accepted;
      errs.push(...res.errors.map((e) => ({ line: part[e.line - part[0].line]?.line ?? e.line, message: e.message })));
      setDone(Math.min(rows.length, i + CHUNK)); setAccepted(ok); setErrors([...errs]);
    }
  };
  const id = 'imp-' + kind;
  return (
    <section class="card" aria-labelledby={id + '-h'}>
      <h2 id={id + '-h'}>{kind === 'customers' ? t('importCustomers') : t('importOrders')}</h2>
      <p class="muted small">{kind === 'customers' ? t('columnsC') : t('columnsO')}</p>
      <label for={id} class="sr">{kind === 'customers' ? t('importCustomers') : t('importOrders')}</label>
      <input id={id} type="file" accept=".csv,text/csv" disabled={!can} onChange={(e) => { const f = (e.currentTarget as HTMLInputElement).files?.[0]; if (f) void run(f); }} />
      {total > 0 && (
        <>
          <progress max={total} value={done} aria-label={`${done} / ${total} ${t('rowsDone')}`} />
          <p role="status">{num(done)} / {num(total)} {t('rowsDone')} · {num(accepted)} {t('accepted')} · {num(errors.length)} ✗</p>
        </>
      )}
      {fail && <p class="error" role="alert">{fail}</p>}
      {errors.length > 0 && (
        <table class="errors"><caption>{t('rowErrors')}</caption><thead><tr><th scope="col">{t('line')}</th><th scope="col">{t('error')}</th></tr></thead>
          <tbody>{errors.slice(0, 200).map((e) => <tr><td>{e.line}</td><td>{e.message}</td></tr>)}</tbody></table>
      )}
    </section>
  );
}

export default function DataPage({ site, me }: PageProps) {
  const { data } = useApi<{ model: any }>(`/sites/${site.id}/model`);
  const can = me.user.role !== 'analyst';
  const m = data?.model;
  return (
    <>
      <h1 tabIndex={-1}>{t('data')}</h1>
      <div class="grid2">
        <Importer site={site} kind="customers" can={can} />
        <Importer site={site} kind="orders" can={can} />
      </div>
      <section class="card" aria-labelledby="model-h">
        <h2 id="model-h">{t('model')}</h2>
        {!data ? <p class="muted">{t('loading')}</p> : !m ? <p class="muted">{t('notFitted')}</p> : (
          <dl class="facts">
            <dt>{t('fittedAt')}</dt><dd>{date(m.fittedAt)}</dd>
            <dt>{t('customers')}</dt><dd>{num(m.customers)}</dd>
            <dt>BG/NBD (r, α, a, b)</dt><dd>{m.bgnbd ? [m.bgnbd.r, m.bgnbd.alpha, m.bgnbd.a, m.bgnbd.b].map((x: number) => num(x, 3)).join(', ') : '—'}{m.unit ? ` · ${m.unit}` : ''}</dd>
            <dt>Gamma-Gamma (p, q, v)</dt><dd>{m.gammaGamma ? [m.gammaGamma.p, m.gammaGamma.q, m.gammaGamma.v].map((x: number) => num(x, 3)).join(', ') : '—'}</dd>
            <dt>MVC CLV ≥</dt><dd>{money(m.mvcClv, site.currency)}</dd>
            {m.diagnostics && <><dt>log-likelihood</dt><dd>{num(m.diagnostics.bgnbdLogLikelihood, 1)} / {num(m.diagnostics.gammaGammaLogLikelihood, 1)}</dd></>}
          </dl>
        )}
      </section>
    </>
  );
}
