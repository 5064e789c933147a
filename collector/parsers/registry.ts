/** Family parsers in auto-detection order (most specific first). Adding a family = one file + one line here. */
import type { Parser } from './types';
import { apache } from './apache';
import { apacheTomcat } from './apache_tomcat';
import { auditd } from './auditd';
import { cef } from './cef';
import { eset } from './eset';
import { checkpoint } from './checkpoint';
import { ciscoAsa } from './cisco_asa';
import { ciscoIos } from './cisco_ios';
import { ciscoMeraki } from './cisco_meraki';
import { f5Bigip } from './f5_bigip';
import { fortigate } from './fortigate';
import { fortimail } from './fortimail';
import { haproxy } from './haproxy';
import { iis } from './iis';
import { iptables } from './iptables';
import { juniperSrx } from './juniper_srx';
import { kasperskyKsc } from './kaspersky_ksc';
import { leef } from './leef';
import { microsoftDhcp } from './microsoft_dhcp';
import { microsoftDns } from './microsoft_dns';
import { modsecurity } from './modsecurity';
import { nginx } from './nginx';
import { panos } from './panos';
import { pfsense } from './pfsense';
import { snort } from './snort';
import { sonicwall } from './sonicwall';
import { sophos } from './sophos';
import { trendmicro } from './trendmicro';
import { suricata } from './suricata';
import { symantecEndpoint } from './symantec_endpoint';
import { winlog } from './winlog';
import { zeek } from './zeek';

export const PARSERS_BY_FAMILY: Parser[] = [
  trendmicro, cef, leef, kasperskyKsc, ciscoAsa, ciscoIos, ciscoMeraki, juniperSrx, checkpoint, f5Bigip, fortigate, fortimail, sophos, panos, pfsense, snort, sonicwall, iptables, iis, microsoftDhcp, microsoftDns, auditd, modsecurity, symantecEndpoint, haproxy, nginx, apache, apacheTomcat, eset, suricata, winlog, zeek,
];
