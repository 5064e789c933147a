// Small shared pieces: badges, panels, selects, the agency name.
import type { ComponentChildren } from 'preact';
import { ApiError, tenants } from './api';
import { t } from './i18n';
import { useSignal } from './state';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'informational'] as const;
export const STATUSES = ['new', 'acknowledged', 'in_progress', 'resolved', 'false_positive', 'duplicate'] as const;
export const OPEN = new Set(['new', 'acknowledged', 'in_progress']);

export const Sev = ({ s }: { s: string }) => <span class={`sev sev-${s}`}>{t(`sev.${s}`)}</span>;
export const Status = ({ s }: { s: string }) => <span class={`st st-${s}`}>{t(`st.${s}`)}</span>;

/** An agency: its name cut to fit, and its short code (the id) always whole, so two agencies with similar long names stay apart; the full name on hover. */
export function Agency({ id }: { id: string }) {
  const map = useSignal(tenants);
  const name = map.get(id) ?? id;
  if (name === id) return <span class="ag" title={id}><code class="ag-id">{id}</code></span>;
  return <span class="ag" title={`${name} (${id})`}><span class="ag-name">{name}</span><code class="ag-id">{id}</code></span>;
}

export function Panel(props: { title?: ComponentChildren; actions?: ComponentChildren; children: ComponentChildren; class?: string; id?: string }) {
  return (
    <section class={`panel ${props.class ?? ''}`} id={props.id}>
      {(props.title || props.actions) && (
        <header class="panel-h">
          <h2>{props.title}</h2>
          <div class="panel-actions">{props.actions}</div>
        </header>
      )}
      <div class="panel-b">{props.children}</div>
    </section>
  );
}

/** A translated text with its {name} places filled. */
export const fill = (text: string, vars: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));

export function ErrorLine({ error }: { error: string | null }) {
  return error ? <p class="error" role="alert">{error}</p> : null;
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <div class="empty">{children}</div>;
}

export function download(url: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** An error in the reader's language: the network, a server failure, or the server's own reason for a refusal. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.status >= 500 ? `${t('fail.server')} (HTTP ${e.status})` : e.message;
  if (e instanceof TypeError) return t('fail.network'); // fetch's "Failed to fetch": the server did not answer
  return String((e as Error)?.message ?? e);
}

/** What replaces a view, or a part of it, that could not load: a clear message and a way to try again. */
export function Failure({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return (
    <div class="failure" role="alert">
      <span>{t('fail.load')}: {errorText(error)}</span>
      <button type="button" class="small retry" onClick={onRetry}>{t('fail.retry')}</button>
    </div>
  );
}

export function Loading() {
  return <div class="loading" role="status" aria-busy="true"><span class="spinner" aria-hidden="true" /> {t('loading')}</div>;
}
