/** Local test sites for the website checker's tests: http and https (a throwaway CA) on 127.0.0.1, with a log of every request. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { EcsEvent } from '../core/event';

export interface SiteRequest {
  path: string;
  userAgent: string;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface TestSite {
  url: string;
  requests: SiteRequest[];
  close(): Promise<void>;
}

function track(server: net.Server, scheme: string, requests: SiteRequest[]): Promise<TestSite> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `${scheme}://127.0.0.1:${port}/`,
        requests,
        close: () => new Promise<void>((r) => (sockets.forEach((s) => s.destroy()), server.close(() => r()))),
      });
    }),
  );
}

export function serveHttp(handler: Handler): Promise<TestSite> {
  const requests: SiteRequest[] = [];
  const server = http.createServer((req, res) => {
    requests.push({ path: req.url ?? '', userAgent: String(req.headers['user-agent'] ?? '') });
    handler(req, res);
  });
  return track(server, 'http', requests);
}

export function serveHttps(handler: Handler, pki: { cert: string; key: string }): Promise<TestSite> {
  const requests: SiteRequest[] = [];
  const server = https.createServer({ cert: pki.cert, key: pki.key }, (req, res) => {
    requests.push({ path: req.url ?? '', userAgent: String(req.headers['user-agent'] ?? '') });
    handler(req, res);
  });
  return track(server, 'https', requests);
}

/** A TCP server that accepts and never says anything: a server that never answers, or a TLS handshake that stalls. */
export function serveSilence(scheme: 'http' | 'https'): Promise<TestSite> {
  return track(net.createServer(() => undefined), scheme, []);
}

/** A throwaway CA and a certificate for 127.0.0.1 valid for `days` days. */
export function makePki(days: number): { ca: string; cert: string; key: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canhgac-website-pki-'));
  const run = (a: string[]) => execFileSync('openssl', a, { cwd: dir, stdio: 'pipe' });
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '365', '-subj', '/CN=canhgac website test CA']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'site.key', '-out', 'site.csr', '-subj', '/CN=127.0.0.1']);
  fs.writeFileSync(path.join(dir, 'site.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  run(['x509', '-req', '-in', 'site.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'site.pem', '-days', String(days), '-extfile', 'site.ext']);
  const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
  const out = { ca: read('ca.pem'), cert: read('site.pem'), key: read('site.key') };
  fs.rmSync(dir, { recursive: true, force: true });
  return out;
}

/** A page of a provincial portal: a menu, a date, a visit counter and a news list that change, and a footer. */
export function portalPage(n: number, extra = ''): string {
  const news = Array.from({ length: 5 }, (_, i) => `<li><a href="/tin-tuc/${n * 5 + i}">Tin số ${n * 5 + i}: hội nghị triển khai nhiệm vụ ${['chuyển đổi số', 'cải cách hành chính', 'y tế', 'giáo dục', 'nông nghiệp'][(n + i) % 5]} đợt ${n + i}</a></li>`).join('');
  return `<!doctype html><html><head><title>Cổng thông tin điện tử Sở Thông tin và Truyền thông</title>
<link rel="stylesheet" href="/css/site.css"><script src="/js/site.js"></script></head><body>
<nav><ul><li><a href="/">Trang chủ</a></li><li><a href="/gioi-thieu">Giới thiệu</a></li><li><a href="/van-ban">Văn bản</a></li><li><a href="/thu-tuc">Thủ tục hành chính</a></li><li><a href="https://dichvucong.gov.vn/">Dịch vụ công</a></li></ul></nav>
<header><h1>Sở Thông tin và Truyền thông tỉnh</h1><p>Hôm nay: ngày ${1 + (n % 28)} tháng ${1 + (n % 12)} năm 2026</p></header>
<main><h2>Tin tức - Sự kiện</h2><ul>${news}</ul>${extra}
<h2>Thông báo</h2><p>Lịch tiếp công dân của lãnh đạo Sở</p><p>Công khai ngân sách</p></main>
<footer><p>Địa chỉ: số 1 đường Trần Hưng Đạo</p><p>Điện thoại: 0236 3822 ${100 + n}</p><p>Lượt truy cập: ${123456 + n * 37}</p><p>Giấy phép số 12/GP-STTTT</p></footer>
</body></html>`;
}

export const titlesOf = (evs: EcsEvent[]) => evs.map((e) => e.event.action);
