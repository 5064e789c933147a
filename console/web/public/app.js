// The minimal live console: login, then incidents newest first, updated over the WebSocket.
'use strict';
const SEV = { critical: 'Nghiêm trọng', high: 'Cao', medium: 'Trung bình', low: 'Thấp', informational: 'Thông tin' };
const STATUS = { new: 'Mới', acknowledged: 'Đã xác nhận', in_progress: 'Đang xử lý', resolved: 'Đã xử lý', false_positive: 'Báo nhầm', duplicate: 'Trùng lặp' };
const incidents = new Map();
const tenants = new Map();
let socket = null;
const $ = (id) => document.getElementById(id);
const fmt = new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', dateStyle: 'short', timeStyle: 'medium' });
const time = (iso) => (iso ? fmt.format(new Date(iso)) : '');

function cell(text, cls) {
  const td = document.createElement('td');
  if (cls) td.className = cls;
  td.textContent = text == null ? '' : String(text);
  return td;
}

function render(freshId) {
  const rows = $('rows');
  rows.replaceChildren();
  const list = [...incidents.values()].sort((a, b) => (b.last_seen > a.last_seen ? 1 : b.last_seen < a.last_seen ? -1 : b.id > a.id ? 1 : -1));
  for (const inc of list) {
    const tr = document.createElement('tr');
    tr.dataset.id = inc.id;
    if (inc.id === freshId) tr.className = 'fresh';
    const sev = document.createElement('td');
    const badge = document.createElement('span');
    badge.className = `sev ${inc.severity}`;
    badge.textContent = SEV[inc.severity] || inc.severity;
    sev.appendChild(badge);
    const where = [inc.summary.host, inc.summary.source_ip, inc.summary.user].filter(Boolean).join(' · ');
    tr.append(sev, cell(inc.title, 'rule'), cell(tenants.get(inc.tenant) || inc.tenant), cell(where), cell(inc.count, 'count'), cell(time(inc.first_seen)), cell(time(inc.last_seen)), cell(STATUS[inc.status] || inc.status));
    rows.appendChild(tr);
  }
  $('empty').hidden = list.length > 0;
  const counts = { critical: 0, high: 0, medium: 0, low: 0, informational: 0 };
  for (const inc of list) if (['new', 'acknowledged', 'in_progress'].includes(inc.status)) counts[inc.severity]++;
  $('counters').replaceChildren(
    ...Object.entries(counts).map(([k, n]) => {
      const d = document.createElement('div');
      d.className = 'counter';
      d.innerHTML = `<div class="n"></div><div class="l"></div>`;
      d.querySelector('.n').textContent = n;
      d.querySelector('.l').textContent = SEV[k];
      return d;
    }),
  );
}

async function api(path, init) {
  const res = await fetch(path, { credentials: 'same-origin', ...init });
  if (res.status === 401) throw Object.assign(new Error('login'), { login: true });
  if (!res.ok) throw new Error((await res.json().catch(() => ({}))).error || res.statusText);
  return res.json();
}

function connect() {
  const proto = location.protocol === 'https:' ? 'wss' : 'ws';
  socket = new WebSocket(`${proto}://${location.host}/ws`);
  socket.onopen = () => {
    $('live').className = 'live on';
    $('live').querySelector('span').textContent = 'trực tuyến';
  };
  socket.onclose = () => {
    $('live').className = 'live off';
    $('live').querySelector('span').textContent = 'mất kết nối';
    setTimeout(() => start().catch(() => undefined), 3000);
  };
  socket.onmessage = (msg) => {
    const data = JSON.parse(msg.data);
    if (data.type === 'incident.created' || data.type === 'incident.updated') {
      incidents.set(data.incident.id, data.incident);
      render(data.incident.id);
    }
  };
}

async function start() {
  let me;
  try {
    me = await api('/api/auth/me');
  } catch (e) {
    if (e.login) return showLogin();
    throw e;
  }
  $('login-view').hidden = true;
  $('incidents-view').hidden = false;
  $('logout').hidden = false;
  $('who').textContent = `${me.username} (${me.role})`;
  const [list, ts] = await Promise.all([api('/api/incidents?limit=500'), api('/api/tenants')]);
  for (const t of ts.items) tenants.set(t.id, t.name);
  incidents.clear();
  for (const inc of list.items) incidents.set(inc.id, inc);
  render();
  connect();
}

function showLogin() {
  $('login-view').hidden = false;
  $('incidents-view').hidden = true;
  $('logout').hidden = true;
  $('who').textContent = '';
}

$('login-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const form = new FormData(ev.target);
  $('login-error').textContent = '';
  const res = await fetch('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: form.get('username'), password: form.get('password') }) });
  if (!res.ok) {
    $('login-error').textContent = (await res.json().catch(() => ({}))).error || 'Đăng nhập thất bại';
    return;
  }
  await start();
});

$('logout').addEventListener('click', async () => {
  const me = await api('/api/auth/me').catch(() => null);
  await fetch('/api/auth/logout', { method: 'POST', headers: { 'x-csrf-token': me?.csrf || '' } });
  if (socket) socket.onclose = null, socket.close();
  showLogin();
});

start().catch((e) => console.error(e));
