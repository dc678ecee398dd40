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

/** An offer's status badge, in the reader's language (the class keeps the stored word for its colour). */
export const Status = ({ s }: { s: string }) => <span class={'badge s-' + s}>{t(`st_${s}` as 'st_draft') ?? s}</span>;
/** An offer kind in the reader's language. */
export const kindName = (k: string): string => t(`ok_${k}` as 'ok_banner') ?? k;

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
