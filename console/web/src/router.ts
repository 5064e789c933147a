// Hash routes (#/search?q=…): deep links work without server-side routing.
import { signal } from './state';

export interface Route { path: string[]; params: URLSearchParams }
function parse(): Route {
  const h = location.hash.replace(/^#\/?/, '');
  const [p, q] = h.split('?');
  return { path: p ? p.split('/').map(decodeURIComponent) : [], params: new URLSearchParams(q ?? '') };
}
export const route = signal<Route>(parse());
let inAppSteps = 0; // how many routes this tab has moved through since the app loaded: Back may use the browser's history only then
window.addEventListener('hashchange', () => { inAppSteps++; route.set(parse()); });
export function go(path: string, params?: Record<string, string>): void {
  const q = params ? new URLSearchParams(Object.entries(params).filter(([, v]) => v)).toString() : '';
  location.hash = `#/${path}${q ? `?${q}` : ''}`;
}

/** Back from a detail page: to where the analyst came from in the app, else to the list it belongs to. */
export function back(parent: string): void {
  if (inAppSteps > 0) history.back();
  else go(parent);
}
