/**
 * The `packets` list of a Check Point optimized-drop record (`drop_reason:"matched optimized drop"`): the packets
 * the gateway dropped without logging each, as `<src,sport,dst,dport,proto[;interface]>` entries. Read into
 * checkpoint.packets_dropped as Elastic's checkpoint.firewall does, so each dropped flow keeps its endpoints.
 */
import { cleanIp, toInt } from './util';

/** a gateway summarises a bounded number of packets per record; more is not a drop list */
const MAX_ENTRIES = 1000;
const ENTRY = /<([^<>]*)>/g;

export interface DroppedPacket {
  source: { ip?: string; port?: number };
  destination: { ip?: string; port?: number };
  network?: { iana_number: string };
  interface?: { name: string };
}

function endpoint(ip: string | undefined, port: string | undefined): { ip?: string; port?: number } {
  const out: { ip?: string; port?: number } = {};
  const addr = ip ? cleanIp(ip.trim()) : undefined;
  if (addr) out.ip = addr;
  const p = toInt(port?.trim());
  if (p !== undefined && p >= 0 && p <= 65535) out.port = p;
  return out;
}

function entry(text: string): DroppedPacket | undefined {
  const [flow, iface] = text.split(';', 2);
  const [src, sport, dst, dport, proto] = flow.split(',');
  const packet: DroppedPacket = { source: endpoint(src, sport), destination: endpoint(dst, dport) };
  if (!packet.source.ip && !packet.destination.ip) return undefined;
  if (proto && /^\d{1,3}$/.test(proto.trim())) packet.network = { iana_number: proto.trim() };
  if (iface?.trim()) packet.interface = { name: iface.trim() };
  return packet;
}

/** The dropped packets of a `packets` value, and how many entries could not be read (no address, past the bound). */
export function parsePacketList(value: string): { packets: DroppedPacket[]; unread: number } {
  const packets: DroppedPacket[] = [];
  let unread = 0;
  for (const m of value.matchAll(ENTRY)) {
    const p = packets.length < MAX_ENTRIES ? entry(m[1]) : undefined;
    if (p) packets.push(p);
    else unread++;
  }
  return { packets, unread };
}
