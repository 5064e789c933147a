// Small shared pieces: badges, panels, selects, the agency name.
import type { ComponentChildren } from 'preact';
import { tenants } from './api';
import { t } from './i18n';
import { useSignal } from './state';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'informational'] as const;
export const STATUSES = ['new', 'acknowledged', 'in_progress', 'resolved', 'false_positive', 'duplicate'] as const;
export const OPEN = new Set(['new', 'acknowledged', 'in_progress']);

export const Sev = ({ s }: { s: string }) => <span class={`sev sev-${s}`}>{t(`sev.${s}`)}</span>;
export const Status = ({ s }: { s: string }) => <span class={`st st-${s}`}>{t(`st.${s}`)}</span>;

export function Agency({ id }: { id: string }) {
  const map = useSignal(tenants);
  const name = map.get(id) ?? id;
  return <span title={name === id ? id : `${name} (${id})`}>{name}</span>;
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
