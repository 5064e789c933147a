/**
 * C1 of issue #11: no input key reaches Object.prototype. One datagram with `__proto__` in nested
 * JSON, or a sudo line run from a directory with a crafted name, used to set `disabled` (every session
 * answered 401) or `format` (every later line became a parse error) on every object of the process.
 */
import { getPath, setPath } from '../../core/event';
import { parse } from './index';

const receivedAt = new Date('2026-03-15T04:00:00Z');
const ctx = { receivedAt, timezone: 'UTC' };
const PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();
const ORDINARY = 'Mar 14 08:12:01 bastion sshd[24121]: Failed password for invalid user oracle from 203.0.113.45 port 51514 ssh2';

/** Object.prototype as it should be; anything added is removed so one failure does not spread to the next test. */
function pollutedKeys(): string[] {
  const added = Object.getOwnPropertyNames(Object.prototype).filter((k) => !PROTO_KEYS.includes(k));
  for (const k of added) delete (Object.prototype as Record<string, unknown>)[k];
  return added;
}

afterEach(() => {
  pollutedKeys();
});

/** Parses `input` and checks that nothing reached Object.prototype and that an ordinary line still parses as before. */
function parseAndCheck(input: string | Buffer | Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, any> {
  const ev = parse(input, { ...ctx, ...extra }) as Record<string, any>;
  const sawDisabled = ({} as Record<string, unknown>).disabled;
  const sawFormat = ({} as Record<string, unknown>).format;
  const added = pollutedKeys();
  expect({ disabled: sawDisabled, format: sawFormat, added }).toEqual({ disabled: undefined, format: undefined, added: [] });
  const next = parse(ORDINARY, ctx) as Record<string, any>;
  expect(next.event).toMatchObject({ kind: 'event', dataset: 'system.auth', outcome: 'failure', action: 'ssh_login' });
  expect(next.source.ip).toBe('203.0.113.45');
  return ev;
}

const NESTED = '{"disabled":true,"format":"nothing"}';

/** Every key of a document at any depth, dotted keys split into their segments. */
function keySegments(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => keySegments(x, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) {
    out.push(...k.split('.'));
    keySegments(x, out);
  }
  return out;
}
const UNSAFE = ['__proto__', 'constructor', 'prototype'];

describe('prototype pollution through parse (C1)', () => {
  test('JSON documents (HTTP ingest, Beats) with __proto__ at the root and nested', () => {
    for (const text of [
      `{"__proto__":${NESTED},"message":"hello"}`,
      `{"a":{"b":{"__proto__":${NESTED}}},"message":"hello"}`,
      `{"event":{"__proto__":${NESTED}},"host":{"name":"h"}}`,
      `{"constructor":{"prototype":${NESTED}},"x":1}`,
    ]) {
      const ev = parseAndCheck(JSON.parse(text) as Record<string, unknown>);
      expect(ev.event.kind).not.toBe('pipeline_error');
    }
  });

  test('a raw line in an agent document whose message is itself JSON with __proto__ (the merge of line and envelope)', () => {
    const doc = { agent: { type: 'filebeat' }, host: { name: 'web1' }, message: `{"__proto__":${NESTED},"user":{"name":"x"}}` };
    const ev = parseAndCheck(doc);
    expect(ev.host.name).toBe('web1');
    expect(ev.user).toEqual({ name: 'x' });
    expect(ev['__proto___']).toEqual({ disabled: true, format: 'nothing' });
    expect(ev.tags).toContain('unsafe_key_renamed');
    // the same document as one UDP datagram of text
    parseAndCheck(JSON.stringify(doc));
    parseAndCheck(Buffer.from(`<13>Mar 14 10:00:00 web1 app: ${JSON.stringify(doc)}`));
  });

  test('a sudo line run from a directory named to inject keys', () => {
    const line = 'Mar 14 10:00:00 bastion sudo:    alice : TTY=pts/0 ; PWD=/tmp/__proto__ ; __PROTO__.DISABLED=1 ; CONSTRUCTOR.PROTOTYPE.FORMAT=x ; __proto__=y ; USER=root ; COMMAND=/bin/ls';
    const ev = parseAndCheck(line);
    expect(ev.event.action).toBe('sudo');
    expect(ev.user).toEqual({ name: 'alice', effective: { name: 'root' } });
    expect(ev.system.auth.sudo).toMatchObject({ pwd: '/tmp/__proto__', command: '/bin/ls', tty: 'pts/0' });
    // kept as data, under the renamed key
    expect(ev.system.auth.sudo['__proto___']).toBe('y');
    expect(ev.system.auth.sudo['constructor_']).toEqual({ prototype_: { format: 'x' } });
  });

  test.each([
    ['fortigate', 'date=2026-03-14 time=10:00:00 devname="fg" logid="0000000013" type="traffic" subtype="forward" srcip=10.0.0.1 dstip=10.0.0.2 __proto__=p constructor=c action="deny"', 'fortinet.firewall'],
    ['cef', 'CEF:0|Vendor|Product|1.0|100|Name|5|src=10.0.0.1 __proto__.disabled=1 constructor.prototype.format=x prototype=p __proto__=q', 'cef.extensions'],
    ['leef', 'LEEF:1.0|Vendor|Product|1.0|100|src=10.0.0.1\t__proto__=p\tconstructor=c', 'leef.extensions'],
    ['checkpoint', '<134>1 2026-03-14T10:00:00Z gw CheckPoint 1 - [action:"Accept"; __proto__:"p"; constructor:"c"; src:"10.0.0.1"; dst:"10.0.0.2"; product:"VPN-1 & FireWall-1"]', 'checkpoint'],
    ['sophos', 'device="SFW" date=2026-03-14 time=10:00:00 timezone="+07" device_name="XG" device_id=1 log_id=010101600001 log_type="Firewall" log_component="Firewall Rule" log_subtype="Allowed" __proto__=p constructor=c src_ip=10.0.0.1 dst_ip=10.0.0.2', 'sophos.xg'],
    ['auditd', 'type=USER_LOGIN msg=audit(1773482400.123:42): pid=1 uid=0 __proto__=p msg=\'op=login constructor=c acct="root" exe="/usr/sbin/sshd" addr=10.0.0.1 res=success\'', 'auditd.log'],
    ['fortimail', 'date=2026-03-14,time=10:00:00,device_id=FE-1,log_id=0200012345,type=statistics,__proto__=p,constructor=c,from=a@b.c', 'fortinet_fortimail.log'],
    ['modsecurity', '[Sat Mar 14 10:31:00 2026] [error] [client 10.0.0.1] ModSecurity: Warning. [id "1"] [__proto__ "p"] [constructor "c"] [msg "m"] [hostname "h"] [uri "/"]', ''],
    ['rfc5424', '<13>1 2026-03-14T10:00:00Z host app 1 - [__proto__ constructor="c" __proto__="p"][x@1 prototype="q"] text', 'log.syslog.structured_data'],
  ])('%s key=value text with __proto__/constructor/prototype keys', (format, line, under) => {
    const ev = parseAndCheck(line, { format });
    expect(ev.event.kind).not.toBe('pipeline_error');
    // the keys are kept as data under a safe name, and no key of the event is one of the three
    if (under) expect(Object.keys(getPath(ev, under) as object)).toEqual(expect.arrayContaining(['__proto___']));
    expect(keySegments(ev).filter((k) => UNSAFE.includes(k))).toEqual([]);
  });

  test('an IIS #Fields directive naming __proto__/constructor fields, then a line in that layout', () => {
    const sender = { sourceIp: '10.7.7.8', format: 'iis' };
    parseAndCheck('#Fields: date time __proto__ constructor c-ip cs-method cs-uri-stem sc-status', sender);
    const ev = parseAndCheck('2026-03-14 02:10:00 p c 198.51.100.50 GET /x 404', sender);
    expect(ev.source.ip).toBe('198.51.100.50');
    expect(ev.http.response.status_code).toBe(404);
    expect(keySegments(ev).filter((k) => UNSAFE.includes(k))).toEqual([]);
  });

  test('a Symantec line with a "constructor:" field', () => {
    const ev = parseAndCheck('<54>Mar 14 10:40:00 sepm01 SymantecServer: Virus found,IP Address: 10.40.2.15,Computer name: PC-1,constructor: c,prototype: p,Risk name: Trojan.Gen.2,Actual action: Quarantined', { format: 'symantec_endpoint' });
    expect(ev.event.kind).toBe('alert');
    expect(keySegments(ev).filter((k) => UNSAFE.includes(k))).toEqual([]);
  });

  test('a literal dotted key and a JSON document pinned to each JSON parser', () => {
    for (const format of ['auto', 'suricata', 'zeek', 'winlog', 'eset', 'modsecurity', 'cef', 'auditd']) {
      const text = `{"__proto__.disabled":true,"constructor.prototype.format":"x","a":{"__proto__":${NESTED}},"event_type":"alert","_path":"dns","winlog":{"channel":"Security","event_id":4625,"event_data":{"__proto__":${NESTED}}},"message":"m"}`;
      const ev = parseAndCheck(text, { format });
      expect(keySegments(ev).filter((k) => UNSAFE.includes(k))).toEqual([]);
      expect(ev.tags).toContain('unsafe_key_renamed');
      parseAndCheck(JSON.parse(text) as Record<string, unknown>, { format });
    }
  });
});

describe('setPath and getPath never step onto a prototype', () => {
  test.each(['__proto__.disabled', 'constructor.prototype.format', 'a.__proto__.disabled', 'a.constructor.prototype.disabled', 'prototype.format'])('%s', (path) => {
    const doc: Record<string, unknown> = { a: {} };
    setPath(doc, path, 'x');
    expect({ disabled: ({} as Record<string, unknown>).disabled, format: ({} as Record<string, unknown>).format, added: pollutedKeys() }).toEqual({ disabled: undefined, format: undefined, added: [] });
    // the value is kept and read back by the same path
    expect(getPath(doc, path)).toBe('x');
    expect(keySegments(doc).filter((k) => UNSAFE.includes(k))).toEqual([]);
  });

  test('getPath does not read what an object inherits', () => {
    expect(getPath({}, 'constructor')).toBeUndefined();
    expect(getPath({ a: {} }, 'a.constructor.prototype')).toBeUndefined();
    expect(getPath({ 'x.y': 1 }, '__proto__.hasOwnProperty')).toBeUndefined();
  });
});

describe("a value naming an Object.prototype member finds nothing in a parser's lookup tables", () => {
  test.each([
    ['auditd', 'type=constructor msg=audit(1773482400.123:42): pid=1 uid=0 res=success'],
    ['auditd', 'type=SYSCALL msg=audit(1773482400.123:43): arch=c000003e syscall=constructor success=yes pid=1 uid=0 comm="x" exe="/bin/x"'],
    ['fortigate', 'date=2026-03-14 time=10:00:00 devname="fg" logid="0000000013" type="traffic" subtype="forward" srcip=10.0.0.1 dstip=10.0.0.2 proto=constructor action="deny"'],
    ['cisco_asa', '%ASA-4-106023: Deny constructor src outside:10.0.0.1/1 dst inside:10.0.0.2/2 by access-group "x" [0x0, 0x0]'],
    ['panos', '1,2026/03/14 10:00:00,013201001234,constructor,drop,2561,2026/03/14 10:00:00,10.30.0.15,198.51.100.23'],
  ])('%s: %s', (format, line) => {
    const ev = parseAndCheck(line, { format }) as Record<string, any>;
    expect(ev.error?.message ?? '').not.toMatch(/parser crashed/);
    // no function (Object, Object.prototype.toString...) leaks into the event as a value
    const values: unknown[] = [];
    const walk = (v: unknown): void => {
      if (v && typeof v === 'object') Object.values(v).forEach(walk);
      else values.push(v);
    };
    walk(ev);
    expect(values.filter((v) => typeof v === 'function')).toEqual([]);
  });
});

test('objects with own toString/valueOf keys (String(obj) would throw) are kept as data under a safe name', () => {
  const doc = { event_type: 'alert', src_ip: '10.0.0.1', proto: { toString: 1 }, alert: { action: { valueOf: 2, toString: 'x' }, signature_id: { toString: 3 } }, flow_id: { toString: 4 } };
  for (const format of ['suricata', 'auto', 'zeek', 'winlog', 'cef', 'eset']) {
    const ev = parseAndCheck(doc as unknown as Record<string, unknown>, { format });
    expect(ev.error?.message ?? '').not.toMatch(/parser crashed/);
  }
  const ev = parse(doc as unknown as Record<string, unknown>, { ...ctx, format: 'suricata' }) as Record<string, any>;
  expect(ev.event.kind).toBe('alert');
  expect(ev.tags).toContain('unsafe_key_renamed');
});
