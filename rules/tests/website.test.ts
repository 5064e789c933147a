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

/** Checks of one site as the checker emits them: failures_in_row counts the failures since the last success. */
function checks(outcomes: ('up' | 'down')[], url?: string, tenant?: string, at = (i: number) => i * 60): Record<string, unknown>[] {
  let inRow = 0;
  return outcomes.map((o, i) => {
    inRow = o === 'up' ? 0 : inRow + 1;
    return check(at(i), o === 'up' ? 'success' : 'failure', url, { failures_in_row: inRow }, tenant);
  });
}

describe('Website Down', () => {
  test('three failed checks in a row fire once, at the third, however long the outage lasts', () => {
    expect(run(checks(['down', 'down', 'down', 'down', 'down', 'down']))).toEqual(['2:Website Down']);
  });

  test('a success in between starts the count again: down, down, up, down, down does not fire', () => {
    expect(run(checks(['down', 'down', 'up', 'down', 'down', 'up', 'down']))).toEqual([]);
    expect(run(checks(['down', 'down', 'up', 'down', 'down', 'down']))).toEqual(['5:Website Down']);
  });

  test('a second outage of the site, after it came back, fires again; two sites or agencies count apart', () => {
    expect(run(checks(['down', 'down', 'down', 'up', 'down', 'down', 'down']))).toEqual(['2:Website Down', '6:Website Down']);
    const a = checks(['down', 'down'], 'https://a.example.gov.vn/');
    const b = checks(['down', 'down'], 'https://b.example.gov.vn/');
    expect(run([a[0], b[0], a[1], b[1]])).toEqual([]);
    const fine = checks(['down', 'down', 'down'], 'https://a.example.gov.vn/', 'so-a');
    const other = checks(['down', 'down', 'down'], 'https://a.example.gov.vn/', 'so-b');
    expect(run([...fine, ...other])).toEqual(['2:Website Down', '5:Website Down']);
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
    ['link-domain', 'Website Links To New Domains'],
  ])('%s fires %s', (kind, title) => {
    expect(run([finding(0, kind)])).toEqual([`0:${title}`]);
  });

  test('a finding from another dataset fires nothing', () => {
    const other = finding(1, 'spam');
    (other.event as Record<string, unknown>).dataset = 'web.access';
    expect(run([other])).toEqual([]);
  });
});
