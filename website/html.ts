/**
 * What the checker reads from a page, tolerant of any HTML (broken, unclosed, binary): its text in
 * blocks, its external scripts and iframes, the domains it links to, links and text hidden from
 * visitors, and meta refresh / JavaScript redirects. A scan over tags, not a DOM: a page that is not
 * HTML at all still yields whatever text it has, and nothing here can throw.
 */

export interface PageFacts {
  title: string;
  lines: string[]; // visible text, one block per line, whitespace collapsed
  scriptSrcs: string[]; // absolute URLs of <script src>
  inlineScripts: string[];
  iframeSrcs: string[];
  linkHrefs: string[]; // absolute URLs of <a href>
  hiddenText: string[]; // text inside elements hidden by style or attribute
  hiddenHrefs: string[];
  metaRefresh: string | null; // the target URL of <meta http-equiv=refresh>
  jsRedirects: string[]; // targets (or the statement) of location = / location.replace() in inline scripts
}

const BLOCK = new Set(['p', 'div', 'br', 'li', 'ul', 'ol', 'tr', 'td', 'th', 'table', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'section', 'article', 'header', 'footer', 'nav', 'aside', 'main', 'title', 'option', 'dt', 'dd', 'blockquote', 'form', 'hr', 'body', 'html', 'head']);
const VOID = new Set(['br', 'img', 'meta', 'link', 'input', 'hr', 'area', 'base', 'col', 'embed', 'source', 'track', 'wbr', 'param']);
const RAW = new Set(['script', 'style', 'noscript', 'template', 'textarea']);
const HIDDEN_STYLE = /display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d]*[1-9])|opacity\s*:\s*0(?![.\d]*[1-9])|(?:left|top|text-indent)\s*:\s*-\d{3,}|(?:height|width)\s*:\s*0(?:px)?\s*;[^"']*overflow\s*:\s*hidden/i;
const JS_REDIRECT = /(?:window\.|document\.|top\.|self\.|parent\.)?location(?:\.href)?\s*=\s*(['"`]?)([^;'"`\n]*)\1|location\.(?:replace|assign)\(\s*(['"`]?)([^)'"`]*)\3/g;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return n > 0 && n < 0x110000 ? String.fromCodePoint(n) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

function attrs(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
  for (let m = re.exec(raw); m; m = re.exec(raw)) out[m[1].toLowerCase()] ??= decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  return out;
}

function absolute(href: string, base: string): string | null {
  const h = href.trim();
  if (!h || /^(?:javascript|mailto|tel|data):/i.test(h) || h.startsWith('#')) return null;
  try {
    return new URL(h, base).toString();
  } catch {
    return null;
  }
}

const isHidden = (a: Record<string, string>): boolean => 'hidden' in a || HIDDEN_STYLE.test(a.style ?? '');

/** Reads the facts of `html` fetched from `base`. */
export function readPage(html: string, base: string): PageFacts {
  const f: PageFacts = { title: '', lines: [], scriptSrcs: [], inlineScripts: [], iframeSrcs: [], linkHrefs: [], hiddenText: [], hiddenHrefs: [], metaRefresh: null, jsRedirects: [] };
  // comments, then declarations and processing instructions (<!doctype html>, <?xml …?>): not text
  const src = html.replace(/<!--[\s\S]*?(?:-->|$)/g, ' ').replace(/<[!?][^>]*>/g, ' ');
  const lower = src.replace(/[A-Z]+/g, (c) => c.toLowerCase()); // ASCII only: keeps every index of src
  let line = '';
  let hiddenDepth = 0; // > 0 while inside a hidden element
  const hiddenStack: string[] = []; // tag names opened while hidden, to know when the hidden element closes
  let hiddenBuf = '';
  let inTitle = false;
  const flush = () => {
    const t = line.replace(/\s+/g, ' ').trim();
    if (t) f.lines.push(t);
    line = '';
  };
  const text = (t: string) => {
    const d = decodeEntities(t);
    if (hiddenDepth > 0) hiddenBuf += d;
    else line += d;
    if (inTitle) f.title += d;
  };
  const tagRe = /<(\/?)([a-zA-Z][\w:-]*)((?:[^>"']|"[^"]{0,4000}"|'[^']{0,4000}')*)>/g;
  let at = 0;
  for (let m = tagRe.exec(src); m; m = tagRe.exec(src)) {
    text(src.slice(at, m.index));
    at = tagRe.lastIndex;
    const closing = m[1] === '/';
    const name = m[2].toLowerCase();
    const a = closing ? {} : attrs(m[3]);
    if (!closing && RAW.has(name)) {
      const end = lower.indexOf(`</${name}`, at);
      const body = src.slice(at, end < 0 ? src.length : end);
      at = end < 0 ? src.length : src.indexOf('>', end) + 1 || src.length;
      tagRe.lastIndex = at;
      if (name === 'script') {
        const s = a.src ? absolute(a.src, base) : null;
        if (s) f.scriptSrcs.push(s);
        else if (body.trim()) {
          f.inlineScripts.push(body.trim());
          for (const r of body.matchAll(JS_REDIRECT)) f.jsRedirects.push((r[2] ?? r[4] ?? r[0]).trim() || r[0].trim());
        }
      }
      continue;
    }
    if (BLOCK.has(name)) flush();
    else line += ' '; // two links side by side are two words, not one
    if (name === 'title') inTitle = !closing;
    if (!closing && name === 'iframe' && a.src) {
      const s = absolute(a.src, base);
      if (s) f.iframeSrcs.push(s);
    }
    if (!closing && name === 'a' && a.href) {
      const h = absolute(a.href, base);
      if (h) (hiddenDepth > 0 || isHidden(a) ? f.hiddenHrefs : f.linkHrefs).push(h);
    }
    if (!closing && name === 'meta' && (a['http-equiv'] ?? '').toLowerCase() === 'refresh') {
      const u = /url\s*=\s*['"]?([^'";]+)/i.exec(a.content ?? '');
      f.metaRefresh = u ? absolute(u[1], base) ?? u[1] : base;
    }
    // hidden elements: count the nesting of tags opened inside, so the hidden part ends at its own closing tag
    if (hiddenDepth > 0) {
      if (closing) {
        const i = hiddenStack.lastIndexOf(name);
        if (i >= 0) hiddenStack.length = i;
        if (hiddenStack.length === 0) {
          hiddenDepth = 0;
          const t = hiddenBuf.replace(/\s+/g, ' ').trim();
          if (t) f.hiddenText.push(t);
          hiddenBuf = '';
        }
      } else if (!VOID.has(name)) hiddenStack.push(name);
    } else if (!closing && !VOID.has(name) && isHidden(a)) {
      hiddenDepth = 1;
      hiddenStack.push(name);
    }
  }
  text(src.slice(at));
  flush();
  if (hiddenBuf.trim()) f.hiddenText.push(hiddenBuf.replace(/\s+/g, ' ').trim());
  f.title = f.title.replace(/\s+/g, ' ').trim();
  return f;
}
