// Hash routes (#/search?q=…): deep links work without server-side routing.
import { signal } from './state';

export interface Route { path: string[]; params: URLSearchParams }
function parse(): Route {
  const h = location.hash.replace(/^#\/?/, '');
  const [p, q] = h.split('?');
  return { path: p ? p.split('/').map(decodeURIComponent) : [], params: new URLSearchParams(q ?? '') };
}
export const route = signal<Route>(parse());
window.addEventListener('hashchange', () => route.set(parse()));
export function go(path: string, params?: Record<string, string>): void {
  const q = params ? new URLSearchParams(Object.entries(params).filter(([, v]) => v)).toString() : '';
  location.hash = `#/${path}${q ? `?${q}` : ''}`;
}
