/**
 * HAProxy logs over syslog: the HTTP log format, the TCP log format and connection errors
 * (`ip:port [date] frontend/bind: error`). Mapping follows Elastic's haproxy.log.
 */
import type { Parser } from './types';
import { Doc, ParseFailure, excerpt, monthIndex, set, setEndpoint, toInt } from './util';
import { setUrl } from './web_access';

const HEAD = /^([0-9a-fA-F:.]+):(\d+) \[(\d{2})\/(\w{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?\] (.*)$/;
const HTTP = /^(\S+?)(~)? (\S+?)\/(\S+) (-?\d+)\/(-?\d+)\/(-?\d+)\/(-?\d+)\/\+?(-?\d+) (\d{3}|-1) \+?(\d+) \S+ \S+ (\S{4}) (\d+)\/(\d+)\/(\d+)\/(\d+)\/\+?(\d+) (\d+)\/(\d+)(?: \{([^}]*)\})?(?: \{([^}]*)\})? "(.*)"$/;
const TCP = /^(\S+?)(~)? (\S+?)\/(\S+) (-?\d+)\/(-?\d+)\/\+?(-?\d+) \+?(\d+) (\S{2}) (\d+)\/(\d+)\/(\d+)\/(\d+)\/\+?(\d+) (\d+)\/(\d+)$/;
const ERROR = /^(\S+?)\/(\S+) (.*)$/;
// the default log format (no `option httplog`/`tcplog`): "Connect from <ip>:<port> to <ip>:<port> (<frontend>/<mode>)"
const CONNECT = /^Connect from ([0-9a-fA-F:.]+):(\d+) to ([0-9a-fA-F:.]+):(\d+) \(([^/)]+)\/([^)]+)\)$/;
// a line whose syslog header was cut to the tag (files written by a local relay): "haproxy[pid]: ..."
const BARE_TAG = /^(haproxy)\[(\d+)\]: (.*)$/;

function time(m: RegExpExecArray): string | undefined {
  const mo = monthIndex(m[4]);
  if (mo === undefined) return undefined;
  // HAProxy logs the accept date in its local time without an offset; Elastic reads it as UTC
  return new Date(Date.UTC(+m[5], mo, +m[3], +m[6], +m[7], +m[8], m[9] ? Number((m[9] + '00').slice(0, 3)) : 0)).toISOString();
}

export const haproxy: Parser = {
  name: 'haproxy',
  dataset: 'haproxy.log',
  detect: (_line, h) => h.appname === 'haproxy' && (HEAD.test(h.message) || CONNECT.test(h.message)),
  parseLine(doc: Doc, line, h) {
    let message = h.message;
    const bare = h.appname ? null : BARE_TAG.exec(message);
    if (bare) {
      set(doc, 'process.name', bare[1]);
      set(doc, 'process.pid', toInt(bare[2]));
      message = bare[3];
    }
    const connect = CONNECT.exec(message);
    if (connect) {
      delete doc.message;
      delete doc.host;
      setEndpoint(doc, 'source', connect[1], connect[2]);
      setEndpoint(doc, 'destination', connect[3], connect[4]);
      // Elastic's haproxy.source is the host the syslog header names
      set(doc, 'haproxy.source', h.hostname);
      set(doc, 'haproxy.frontend_name', connect[5]);
      set(doc, 'haproxy.mode', connect[6]);
      set(doc, 'event.category', ['web', 'network']);
      set(doc, 'event.type', ['connection']);
      return;
    }
    const head = HEAD.exec(message);
    if (!head) throw new ParseFailure(`HAProxy line needs "client:port [dd/Mon/yyyy:hh:mm:ss.mmm]" or "Connect from" at ${excerpt(message)}`);
    delete doc.message;
    delete doc.host;
    set(doc, '@timestamp', time(head));
    setEndpoint(doc, 'source', head[1], head[2]);
    set(doc, 'haproxy.source', h.hostname);
    const rest = head[10];
    let m: RegExpExecArray | null;
    if ((m = HTTP.exec(rest))) {
      set(doc, 'haproxy.frontend_name', m[1]);
      set(doc, 'haproxy.backend_name', m[3]);
      set(doc, 'haproxy.server_name', m[4]);
      set(doc, 'haproxy.http.request.time_wait_ms', toInt(m[5]));
      set(doc, 'haproxy.total_waiting_time_ms', toInt(m[6]));
      set(doc, 'haproxy.connection_wait_time_ms', toInt(m[7]));
      set(doc, 'haproxy.http.request.time_wait_without_data_ms', toInt(m[8]));
      const total = toInt(m[9]);
      if (total !== undefined && total >= 0) set(doc, 'event.duration', total * 1e6);
      const status = toInt(m[10]);
      if (status !== undefined && status >= 0) set(doc, 'http.response.status_code', status);
      set(doc, 'http.response.bytes', toInt(m[11]));
      set(doc, 'haproxy.termination_state', m[12]);
      set(doc, 'haproxy.connections.active', toInt(m[13]));
      set(doc, 'haproxy.connections.frontend', toInt(m[14]));
      set(doc, 'haproxy.connections.backend', toInt(m[15]));
      set(doc, 'haproxy.connections.server', toInt(m[16]));
      set(doc, 'haproxy.connections.retries', toInt(m[17]));
      set(doc, 'haproxy.server_queue', toInt(m[18]));
      set(doc, 'haproxy.backend_queue', toInt(m[19]));
      if (m[20] !== undefined) set(doc, 'haproxy.http.request.captured_headers', m[20].split('|'));
      if (m[21] !== undefined) set(doc, 'haproxy.http.response.captured_headers', m[21].split('|'));
      const rq = /^(\S+) (\S+)(?: HTTP\/([\d.]+))?$/.exec(m[22]);
      if (rq) {
        set(doc, 'http.request.method', rq[1]);
        setUrl(doc, rq[2]);
        set(doc, 'http.version', rq[3]);
      } else set(doc, 'haproxy.http.request.raw_request_line', m[22]);
      set(doc, 'event.category', ['web']);
      set(doc, 'event.type', ['access']);
      if (status !== undefined && status >= 0) set(doc, 'event.outcome', status < 400 ? 'success' : 'failure');
    } else if ((m = TCP.exec(rest))) {
      set(doc, 'haproxy.frontend_name', m[1]);
      set(doc, 'haproxy.backend_name', m[3]);
      set(doc, 'haproxy.server_name', m[4]);
      set(doc, 'haproxy.total_waiting_time_ms', toInt(m[5]));
      set(doc, 'haproxy.connection_wait_time_ms', toInt(m[6]));
      const total = toInt(m[7]);
      if (total !== undefined && total >= 0) set(doc, 'event.duration', total * 1e6);
      set(doc, 'haproxy.bytes_read', toInt(m[8]));
      set(doc, 'haproxy.termination_state', m[9]);
      set(doc, 'haproxy.connections.active', toInt(m[10]));
      set(doc, 'haproxy.connections.frontend', toInt(m[11]));
      set(doc, 'haproxy.connections.backend', toInt(m[12]));
      set(doc, 'haproxy.connections.server', toInt(m[13]));
      set(doc, 'haproxy.connections.retries', toInt(m[14]));
      set(doc, 'haproxy.server_queue', toInt(m[15]));
      set(doc, 'haproxy.backend_queue', toInt(m[16]));
      set(doc, 'event.category', ['network']);
      set(doc, 'event.type', ['connection']);
    } else if ((m = ERROR.exec(rest))) {
      set(doc, 'haproxy.frontend_name', m[1]);
      set(doc, 'haproxy.bind_name', m[2]);
      set(doc, 'haproxy.error_message', m[3]);
      set(doc, 'event.category', ['network']);
      set(doc, 'event.type', ['error']);
    } else set(doc, 'message', rest);
    void line;
  },
};
