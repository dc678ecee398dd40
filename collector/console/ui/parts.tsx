/** Small shared pieces: loading/error state, status badges, field wrapper. */
import type { ComponentChildren } from 'preact';
import { t } from './i18n.ts';

export function Loading({ error, title }: { error: string; title: string }) {
  return (
    <>
      <h1 tabIndex={-1}>{title}</h1>
      {error ? <p class="error" role="alert">{t('error')}: {error}</p> : <p class="muted" role="status">{t('loading')}</p>}
    </>
  );
}

export const Status = ({ s }: { s: string }) => <span class={'badge s-' + s}>{s}</span>;

/** A labelled field with its validation message linked by aria-describedby. */
export function Field({ id, label, error, children, hint }: { id: string; label: string; error?: string; hint?: string; children: ComponentChildren }) {
  return (
    <div class={'field' + (error ? ' bad' : '')}>
      <label for={id}>{label}</label>
      {children}
      {hint && <small class="muted">{hint}</small>}
      {error && <small class="msg" id={id + '-err'} role="alert">{error}</small>}
    </div>
  );
}
