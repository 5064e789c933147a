/**
 * Apache Tomcat access logs (AccessLogValve): the `common` and `combined` patterns
 * (`%h %l %u %t "%r" %s %b` [`"%{Referer}i" "%{User-Agent}i"`]) and patterns that append fields after them
 * (`%D` or `%T` time taken, `%I` thread, ...), kept in apache_tomcat.access.extra. A Tomcat line is an NCSA
 * line, so auto-detection reads it as Apache httpd: pin the source (format apache_tomcat or dataset
 * apache_tomcat.access) to say Tomcat. A trailing number after a combined line is read as %D, milliseconds.
 */
import type { Parser } from './types';
import { ParseFailure, excerpt, set } from './util';
import { parseAccessLine } from './web_access';

export const apacheTomcat: Parser = {
  name: 'apache_tomcat',
  dataset: 'apache_tomcat.access',
  parseLine(doc, line, h) {
    const body = h.rfc === 'none' ? line : h.message;
    try {
      parseAccessLine(doc, body, 'apache_tomcat');
    } catch (e) {
      if (e instanceof ParseFailure) throw new ParseFailure(`Tomcat AccessLogValve line (common or combined pattern) expected at ${excerpt(body)}`);
      throw e;
    }
    set(doc, 'observer.vendor', 'Apache');
    set(doc, 'observer.product', 'Tomcat');
    set(doc, 'observer.type', 'web');
    const extra = (doc.apache_tomcat as { access?: { extra?: string } } | undefined)?.access?.extra;
    const took = extra ? /^(\d+)(?:\s|$)/.exec(extra) : null;
    if (took) set(doc, 'event.duration', Number(took[1]) * 1e6);
  },
};
