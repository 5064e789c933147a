/**
 * A host name's registered domain and top-level domain (ECS `*.registered_domain`, `*.top_level_domain`),
 * from the last labels and a short list of two-label public suffixes (no public suffix list is shipped).
 */
const TWO_LABEL_SUFFIXES = new Set([
  'co.uk', 'org.uk', 'ac.uk', 'gov.uk', 'com.au', 'net.au', 'org.au', 'co.jp', 'ne.jp', 'or.jp', 'co.kr', 'com.cn', 'net.cn', 'org.cn',
  'gov.cn', 'com.br', 'com.sg', 'com.my', 'co.in', 'co.id', 'co.th', 'com.tw', 'com.hk', 'com.vn', 'net.vn', 'org.vn', 'gov.vn', 'edu.vn',
  'ac.vn', 'info.vn', 'name.vn', 'biz.vn', 'health.vn', 'int.vn', 'pro.vn',
]);

export interface DomainParts {
  registered_domain: string;
  top_level_domain: string;
  subdomain?: string;
}

/** Undefined for an address, a single label or anything that is not a DNS name. */
export function domainParts(name: string): DomainParts | undefined {
  const host = name.replace(/\.$/, '').toLowerCase();
  if (!/^[a-z0-9_-]+(\.[a-z0-9_-]+)+$/.test(host) || /^[\d.]+$/.test(host)) return undefined;
  const labels = host.split('.');
  const two = labels.slice(-2).join('.');
  const suffixLabels = labels.length > 2 && TWO_LABEL_SUFFIXES.has(two) ? 2 : 1;
  if (labels.length <= suffixLabels) return undefined;
  const top = labels.slice(-suffixLabels).join('.');
  const registered = labels.slice(-(suffixLabels + 1)).join('.');
  const sub = labels.slice(0, -(suffixLabels + 1)).join('.');
  return { registered_domain: registered, top_level_domain: top, ...(sub ? { subdomain: sub } : {}) };
}
