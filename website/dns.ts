/** A site's DNS answers (A, AAAA, CNAME, MX, NS) through node:dns, with a resolver that can be pointed at given servers or replaced in a test. */
import { promises as dnsp } from 'node:dns';
import { isIP } from 'node:net';

export const RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'NS'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/** What the checker asks DNS: the answers of one type, [] when there are none. */
export interface DnsResolver {
  resolve(name: string, type: RecordType): Promise<string[]>;
}

export interface DnsAnswers {
  name: string;
  answers: { type: RecordType; data: string }[];
  error?: { code: string; message: string };
}

const NO_ANSWER = new Set(['ENODATA', 'ENOTFOUND', 'ENONAME', 'NOTFOUND', 'ENOTIMP', 'EREFUSED']);

export function createResolver(opts: { servers?: string[]; timeoutMs: number }): DnsResolver {
  const r = new dnsp.Resolver({ timeout: Math.max(100, Math.floor(opts.timeoutMs / 2)), tries: 2 });
  if (opts.servers?.length) r.setServers(opts.servers);
  return {
    async resolve(name, type) {
      try {
        const out = await r.resolve(name, type);
        return (out as unknown[]).map((x) => (typeof x === 'string' ? x : `${(x as { priority: number }).priority} ${(x as { exchange: string }).exchange}`)).sort();
      } catch (e) {
        if (type !== 'A' && NO_ANSWER.has((e as { code?: string }).code ?? '')) return [];
        throw e;
      }
    },
  };
}

/** Every answer for `host`; an address given as the host has none to ask about. */
export async function lookupAll(resolver: DnsResolver, host: string): Promise<DnsAnswers | null> {
  if (isIP(host.replace(/^\[|\]$/g, '')) || host === 'localhost') return null;
  const out: DnsAnswers = { name: host, answers: [] };
  const ask = async (type: RecordType) => (await resolver.resolve(host, type)).map((data) => ({ type, data }));
  try {
    out.answers.push(...(await ask('A')));
  } catch (e) {
    const err = e as { code?: string; message: string };
    out.error = { code: err.code ?? 'DNS_ERROR', message: `${host} A: ${err.message}` };
    // a server that does not answer A will not answer the rest: the check is not held up four more times
    if (err.code !== 'ENODATA' && err.code !== 'ENOTFOUND') return out;
  }
  const rest = await Promise.allSettled(RECORD_TYPES.filter((t) => t !== 'A').map(ask));
  for (const r of rest) if (r.status === 'fulfilled') out.answers.push(...r.value);
  return out;
}

/** The answers as a comparable set, "TYPE data". */
export const answerSet = (a: DnsAnswers): string[] => a.answers.map((x) => `${x.type} ${x.data}`).sort();
