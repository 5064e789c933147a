/** Apache httpd access (common/combined) and error logs (2.2 and 2.4 layouts), as Elastic's apache.access / apache.error. */
import type { Parser } from './types';
import { ACCESS_DETECT, parseAccessLine } from './web_access';
import { localToEpoch, monthIndex, set, setEndpoint, toInt } from './util';

// [Wed Oct 11 14:32:52.123456 2000] [module:level] [pid N(:tid M)] [client ip(:port)] message
const ERROR = /^\[(?:\w{3} )?(\w{3}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d+))? (\d{4})\] \[(?:([\w-]+):)?(\w+)\](?: \[pid (\d+)(?::tid (\d+))?\])?(?: \[client ([0-9a-fA-F:.]+?)(?::(\d+))?\])? ?(.*)$/;
const ERROR_LEVELS = new Set(['emerg', 'alert', 'crit', 'error', 'warn']);

export const apache: Parser = {
  name: 'apache',
  dataset: 'apache.access',
  detect: (_line, h) => ERROR.test(h.message) || ACCESS_DETECT.test(h.message),
  parseLine(doc, line, h, ctx) {
    const body = h.rfc === 'none' ? line : h.message;
    const e = ERROR.exec(body);
    const isError = !!e || ctx.dataset === 'apache.error';
    if (!ctx.dataset) set(doc, 'event.dataset', isError ? 'apache.error' : 'apache.access');
    if (!isError) return parseAccessLine(doc, body, 'apache');
    set(doc, 'event.category', ['web']);
    set(doc, 'event.timezone', ctx.timezone);
    if (!e) {
      // a line written before the error log format applies (e.g. at start-up): keep it as a message
      set(doc, 'message', body);
      return;
    }
    const [, mon, d, hh, mi, ss, frac, yyyy, module, level, pid, tid, client, cport, msg] = e;
    const mo = monthIndex(mon);
    if (mo !== undefined) {
      const ms = localToEpoch(+yyyy, mo, +d, +hh, +mi, +ss, frac ? Number((frac + '00').slice(0, 3)) : 0, ctx.timezone);
      set(doc, '@timestamp', new Date(ms).toISOString());
    }
    set(doc, 'log.level', level);
    set(doc, 'apache.error.module', module);
    if (!module) set(doc, 'apache.error', {});
    set(doc, 'process.pid', toInt(pid));
    set(doc, 'process.thread.id', toInt(tid));
    if (client) setEndpoint(doc, 'source', client, cport);
    set(doc, 'message', msg);
    set(doc, 'event.type', [ERROR_LEVELS.has(level) ? 'error' : 'info']);
    const file = /^File does not exist: (.+)$/.exec(msg);
    if (file) set(doc, 'file.path', file[1]);
  },
};
