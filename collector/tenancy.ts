/** Which agency a sender belongs to, from the source-address map in config (first match wins). */
import { BlockList, isIP } from 'node:net';

export interface SourceRule {
  cidr: string;
  tenant: string;
  format?: string;
  dataset?: string;
  timezone?: string;
}

export interface SourceMatch {
  tenant: string;
  format?: string;
  dataset?: string;
  timezone?: string;
}

/** "::ffff:10.0.0.1" (IPv4 on a dual-stack socket) → "10.0.0.1". */
export function plainAddress(addr: string | undefined): string | undefined {
  if (!addr) return undefined;
  return addr.startsWith('::ffff:') && isIP(addr.slice(7)) === 4 ? addr.slice(7) : addr;
}

export class SourceMap {
  private readonly rules: { list: BlockList; rule: SourceRule }[];

  constructor(
    rules: SourceRule[],
    private readonly defaultTenant: string,
  ) {
    this.rules = rules.map((rule) => {
      const [net, prefix] = rule.cidr.split('/');
      const type = isIP(net) === 6 ? 'ipv6' : 'ipv4';
      if (!isIP(net)) throw new Error(`collector.sources: ${JSON.stringify(rule.cidr)} is not an IP address or CIDR`);
      const list = new BlockList();
      if (prefix === undefined) list.addAddress(net, type);
      else {
        const bits = Number(prefix);
        if (!Number.isInteger(bits) || bits < 0 || bits > (type === 'ipv4' ? 32 : 128)) throw new Error(`collector.sources: ${JSON.stringify(rule.cidr)} has an invalid prefix length`);
        list.addSubnet(net, bits, type);
      }
      return { list, rule };
    });
  }

  resolve(address: string | undefined, listenerTenant?: string): SourceMatch {
    const ip = plainAddress(address);
    const type = ip ? isIP(ip) : 0;
    if (ip && type) {
      for (const { list, rule } of this.rules) {
        if (list.check(ip, type === 6 ? 'ipv6' : 'ipv4')) return { tenant: rule.tenant, format: rule.format, dataset: rule.dataset, timezone: rule.timezone };
      }
    }
    return { tenant: listenerTenant ?? this.defaultTenant };
  }
}
