import { run, iso } from './helpers';

const T0 = '2026-12-01T08:00:00Z';

/** What the website checker emits for one check (website/events.ts). */
function check(sec: number, outcome: 'success' | 'failure', url = 'https://stttt.example.gov.vn/', extra: Record<string, unknown> = {}, tenant = 'so-tttt'): Record<string, unknown> {
  return {
    '@timestamp': iso(T0, sec),
    event: { id: `chk-${sec}-${url}-${tenant}`, kind: 'event', dataset: 'canhgac.website', action: 'website-check', outcome },
    organization: { id: tenant },
    url: { full: url, domain: new URL(url).hostname },
    canhgac: { website: { site_id: 'w-1', up: outcome === 'success', ...extra } },
  };
}

function finding(sec: number, kind: string): Record<string, unknown> {
  return {
    '@timestamp': iso(T0, sec),
    event: { id: `f-${sec}-${kind}`, kind: 'event', dataset: 'canhgac.website', action: 'website-finding', outcome: 'success' },
    organization: { id: 'so-tttt' },
    url: { full: 'https://stttt.example.gov.vn/' },
    canhgac: { website: { site_id: 'w-1', finding: kind } },
  };
}

describe('Website Down', () => {
  test('three failed checks within thirty minutes fire once, at the third', () => {
    expect(run([0, 60, 120, 180].map((s) => check(s, 'failure')))).toEqual(['2:Website Down']);
  });

  test('two failures, failures of different sites or agencies, or three spread over more than thirty minutes do not fire', () => {
    expect(run([check(0, 'failure'), check(60, 'success'), check(120, 'failure')])).toEqual([]);
    expect(run([0, 1, 2].map((s) => check(s, 'failure', `https://s${s}.example.gov.vn/`)))).toEqual([]);
    expect(run([0, 1, 2].map((s) => check(s, 'failure', 'https://a.example.gov.vn/', {}, s === 1 ? 'so-b' : 'so-a')))).toEqual([]);
    expect(run([0, 1000, 2000].map((s) => check(s, 'failure')))).toEqual([]);
  });
});

describe('Website certificate expiring', () => {
  test('13 days left fires; 14 and more, or a site without a certificate, does not', () => {
    expect(run([check(0, 'success', undefined, { cert_days_left: 13 })])).toEqual(['0:Website Certificate Expiring Within 14 Days']);
    expect(run([check(0, 'success', undefined, { cert_days_left: -2 })])).toEqual(['0:Website Certificate Expiring Within 14 Days']);
    expect(run([check(0, 'success', undefined, { cert_days_left: 14 }), check(1, 'success', undefined, { cert_days_left: 80 }), check(2, 'success')])).toEqual([]);
  });
});

describe('website findings', () => {
  test.each([
    ['defacement', 'Website Defacement'],
    ['spam', 'Website Spam Content Injected'],
    ['hidden-link', 'Website Spam Content Injected'],
    ['script', 'Website Foreign Script Or Iframe Injected'],
    ['iframe', 'Website Foreign Script Or Iframe Injected'],
    ['redirect', 'Website Redirect Injected'],
    ['cloaking', 'Website Cloaking For Search Engines'],
    ['dns-change', 'Website DNS Answers Changed'],
    ['certificate-invalid', 'Website Certificate Invalid Or Replaced'],
    ['certificate-change', 'Website Certificate Invalid Or Replaced'],
  ])('%s fires %s', (kind, title) => {
    expect(run([finding(0, kind)])).toEqual([`0:${title}`]);
  });

  test('a new link domain alone, or a finding from another dataset, fires nothing', () => {
    expect(run([finding(0, 'link-domain')])).toEqual([]);
    const other = finding(1, 'spam');
    (other.event as Record<string, unknown>).dataset = 'web.access';
    expect(run([other])).toEqual([]);
  });
});
