// Talks to the console API: session cookie (HTTP-only, set by the server) plus the CSRF header on changes.
import type { ApiIncident, ApiMe, ApiTenant } from '../../server/apitypes';
import { agencyName, errorText, lang } from './i18n';
import { signal } from './state';

// the shapes the server declares in its response schemas (console/server/apitypes.ts), not copies
export type Me = ApiMe;
export const me = signal<Me | null | undefined>(undefined);

export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly body: Record<string, unknown> = {}) { super(message); }
}

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = {};
  const file = typeof Blob !== 'undefined' && body instanceof Blob; // an uploaded file goes as it is (a scan report), streamed by the browser
  if (body !== undefined) headers['content-type'] = file ? (body as Blob).type || 'application/octet-stream' : 'application/json';
  const csrf = me.get()?.csrf;
  if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : file ? (body as Blob) : JSON.stringify(body), signal, credentials: 'same-origin' });
  const data = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.status === 401 && path !== '/api/auth/login') me.set(null);
  if (!res.ok) throw new ApiError(res.status, errorText(data.code, String(data.error ?? res.statusText), data.retry_after_s), data); // in the user's language, the server's words in body.error
  return data as T;
}

export const api = {
  get: <T>(p: string, s?: AbortSignal) => request<T>('GET', p, undefined, s),
  post: <T>(p: string, b: unknown = {}) => request<T>('POST', p, b),
  put: <T>(p: string, b: unknown = {}) => request<T>('PUT', p, b),
  patch: <T>(p: string, b: unknown = {}) => request<T>('PATCH', p, b),
  del: <T>(p: string) => request<T>('DELETE', p),
};

export const qs = (o: Record<string, string | number | undefined | null | false>) =>
  Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== '' && v !== false).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');

export const can = {
  change: (m: Me | null | undefined) => !!m && ['admin', 'analyst', 'responder'].includes(m.role),
  rules: (m: Me | null | undefined) => !!m && ['admin', 'analyst'].includes(m.role),
  seeRules: (m: Me | null | undefined) => !!m && m.role !== 'viewer',
  admin: (m: Me | null | undefined) => m?.role === 'admin',
  audit: (m: Me | null | undefined) => !!m && ['admin', 'auditor'].includes(m.role),
};

export type Incident = ApiIncident;
export type Tenant = ApiTenant;
/** Agency id → name as shown (the default agency's in the reader's language), renamed when the language changes. */
export const tenants = signal<Map<string, string>>(new Map());
let stored: Tenant[] = [];
const showTenants = () => tenants.set(new Map(stored.map((t) => [t.id, agencyName(t.name, t.id)])));
lang.subscribe(showTenants);
export async function loadTenants(): Promise<void> {
  stored = (await api.get<{ items: Tenant[] }>('/api/tenants')).items;
  showTenants();
}
