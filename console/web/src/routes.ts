// Requests by route ('GET /api/incidents/:id') instead of a bare path: the answer's type is the one the server's schema for that route declares (console/server/routeanswers.ts), and each :param must be given.
import type { ApiRoutes } from '../../server/apitypes';
import { api } from './api';

type Param<P extends string> = P extends `${string}:${infer N}/${infer R}` ? N | Param<`/${R}`> : P extends `${string}:${infer N}` ? N : never;
type Paths<M extends string> = { [K in keyof ApiRoutes]: K extends `${M} ${infer P}` ? P : never }[keyof ApiRoutes];
type Answer<M extends string, P extends string> = ApiRoutes[`${M} ${P}` & keyof ApiRoutes];
type Params<P extends string> = Record<Param<P>, string>;

const fill = (path: string, params: Record<string, string>) => path.replace(/:([A-Za-z_]+)/g, (_, name: string) => encodeURIComponent(params[name]));
const withQuery = (path: string, query?: string) => (query ? `${path}?${query}` : path);

export const route = {
  get: <P extends Paths<'GET'>>(path: P, params: Params<P>, query?: string, signal?: AbortSignal) => api.get<Answer<'GET', P>>(withQuery(fill(path, params), query), signal),
  post: <P extends Paths<'POST'>>(path: P, params: Params<P>, body: unknown = {}, query?: string) => api.post<Answer<'POST', P>>(withQuery(fill(path, params), query), body),
};
