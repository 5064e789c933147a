import { run } from './helpers';

/** A web access event as the nginx/apache/IIS parsers emit it. */
function access(url: string, status = 200, method = 'GET'): Record<string, unknown> {
  return {
    '@timestamp': '2026-11-28T04:00:00.000Z',
    event: { id: `web-${url}`, kind: 'event', category: ['web'], type: ['access'], outcome: status < 400 ? 'success' : 'failure', dataset: 'nginx.access' },
    url: { original: url, path: url.split('?')[0] },
    http: { request: { method }, response: { status_code: status } },
    source: { ip: '203.0.113.77' },
    user_agent: { original: 'Mozilla/5.0' },
    organization: { id: 'so-yte' },
  };
}

const titles = (url: string): string[] => run([access(url)]).map((x) => x.replace(/^0:/, ''));

describe('SQL injection', () => {
  test.each([
    '/tintuc.php?id=1%20UNION%20SELECT%20username,password%20FROM%20users',
    '/tintuc.php?id=1+union+all+select+1,2,3--',
    "/login.php?user=admin' or '1'='1",
    '/search?q=1%27%20or%201%3d1--',
    '/item?id=1;WAITFOR%20DELAY%20%270:0:5%27',
    '/news?id=1%20AND%20SLEEP(5)',
    '/api?x=SELECT%20table_name%20FROM%20information_schema.tables',
  ])('%s fires', (url) => {
    expect(titles(url)).toContain('SQL Injection Attempt In URL');
  });

  test.each(['/tintuc.php?id=15&lang=vi', '/search?q=union+station+hanoi', '/select-a-plan.html', '/news?title=sleeping-beauty'])('%s does not', (url) => {
    expect(titles(url)).toEqual([]);
  });
});

describe('cross-site scripting', () => {
  test.each(['/search?q=<script>alert(1)</script>', '/search?q=%3Cscript%3Ealert(document.cookie)%3C/script%3E', '/p?x=%22%20onerror%3Dalert(1)', '/r?u=javascript:alert(1)', '/s?q=%3Csvg/onload=alert(1)%3E'])('%s fires', (url) => {
    expect(titles(url)).toContain('Cross-Site Scripting Attempt In URL');
  });

  test.each(['/scripts/app.js', '/docs/javascript-guide.html', '/search?q=alerting+rules'])('%s does not', (url) => {
    expect(titles(url)).toEqual([]);
  });
});

describe('path traversal', () => {
  test.each(['/download?file=../../../../etc/passwd', '/static/..%2f..%2f..%2fwindows/win.ini', '/img?f=%2e%2e%2f%2e%2e%2fetc/shadow', '/a?f=..%252f..%252fboot.ini', '/files/..\\..\\web.config'])('%s fires', (url) => {
    expect(titles(url)).toContain('Path Traversal Attempt In URL');
  });

  test.each(['/download?file=report-2026.pdf', '/static/css/site.css', '/docs/passwd-policy.html'])('%s does not', (url) => {
    expect(titles(url)).toEqual([]);
  });
});

describe('webshell access', () => {
  test.each(['/uploads/c99.php', '/images/shell.php?c=ls', '/upload/avatar.php?cmd=whoami', '/files/x.aspx?c=cmd.exe%20/c%20dir&z=%3Dcmd.exe', '/wp-content/uploads/up.jsp?exec=ls%20-la'])('%s fires', (url) => {
    expect(titles(url)).toContain('Webshell Access');
  });

  test.each(['/index.php?page=lienhe', '/uploads/avatar.png', '/tools/command-reference.html', '/api/users?id=42'])('%s does not', (url) => {
    expect(titles(url)).toEqual([]);
  });
});

test('a non-web event with the same text does not fire web rules', () => {
  expect(run([{ '@timestamp': '2026-11-28T04:00:00Z', event: { category: ['process'] }, process: { command_line: 'curl http://x/?id=1 union select 1' }, message: '../../etc/passwd' }])).toEqual([]);
});
