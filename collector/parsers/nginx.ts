/** nginx access (combined, with optional vhost / X-Forwarded-For prefix) and error logs, as Elastic's nginx.access / nginx.error. */
import type { Parser } from './types';
import { ACCESS_DETECT, parseAccessLine } from './web_access';
import { dateTimeToIso, set, setEndpoint, toInt } from './util';

const ERROR = /^(\d{4}\/\d{2}\/\d{2}) (\d{2}:\d{2}:\d{2}) \[(\w+)\] (\d+)#(\d+): (?:\*(\d+) )?(.*)$/;

export const nginx: Parser = {
  name: 'nginx',
  dataset: 'nginx.access',
  detect: (_line, h) => ERROR.test(h.message) || ACCESS_DETECT.test(h.message),
  parseLine(doc, line, h, ctx) {
    const body = h.rfc === 'none' ? line : h.message;
    const e = ERROR.exec(body);
    if (e) {
      const [, date, time, level, pid, tid, conn, msg] = e;
      set(doc, '@timestamp', dateTimeToIso(date, time, ctx.timezone));
      set(doc, 'event.timezone', ctx.timezone);
      set(doc, 'log.level', level);
      set(doc, 'process.pid', toInt(pid));
      set(doc, 'process.thread.id', toInt(tid));
      if (conn) set(doc, 'nginx.error.connection_id', toInt(conn));
      const client = /, client: ([0-9a-fA-F:.]+)/.exec(msg);
      if (client) setEndpoint(doc, 'source', client[1]);
      const server = /, server: ([^,]+)/.exec(msg);
      if (server) set(doc, 'destination.domain', server[1]);
      const rq = /, request: "(\S+) (\S+) HTTP\/([\d.]+)"/.exec(msg);
      if (rq) {
        set(doc, 'http.request.method', rq[1]);
        set(doc, 'url.original', rq[2]);
        set(doc, 'http.version', rq[3]);
      }
      set(doc, 'message', msg.replace(/, client: .*$/, ''));
      set(doc, 'event.category', ['web']);
      set(doc, 'event.type', ['error']);
      if (!ctx.dataset) set(doc, 'event.dataset', 'nginx.error');
      return;
    }
    parseAccessLine(doc, body, 'nginx');
  },
};
