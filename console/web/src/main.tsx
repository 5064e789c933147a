// The analyst console: login, then the shell (navigation, live status, language, time zone) around the views.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { api, ApiError, can, loadTenants, me, type Me } from './api';
import { lang, setLang, setTimeZone, t, timeZone } from './i18n';
import { connected, startLive, stopLive } from './live';
import { back, go, route } from './router';
import { useSignal } from './state';
import { ErrorLine } from './ui';
import { AccountView } from './views/account';
import { AgenciesView } from './views/agencies';
import { AuditView } from './views/audit';
import { DashboardsView } from './views/dashboards';
import { IncidentView } from './views/incident';
import { IncidentsView } from './views/incidents';
import { RulesView } from './views/rules';
import { SearchView } from './views/search';
import { UsersView } from './views/users';
import { WebsitesView } from './views/websites';
import { InfectedView } from './views/infected';
import { VulnsView } from './views/vulns';
import { CasesView } from './views/cases';
import { CaseView } from './views/case';

function Login() {
  const [error, setError] = useState<string | null>(null);
  const [needTotp, setNeedTotp] = useState(false);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, string> = { username: String(f.get('username')), password: String(f.get('password')) };
      if (f.get('totp')) body.totp = String(f.get('totp'));
      const r = await api.post<Me>('/api/auth/login', body);
      me.set(r);
    } catch (err) {
      if (err instanceof ApiError && err.body.totp_required) setNeedTotp(true);
      setError(err instanceof ApiError ? err.message : t('login.failed'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="login-page">
      <form class="login-card" onSubmit={submit} id="login-form">
        <div class="brand big">canh<b>gác</b></div>
        <p class="muted">{t('app.title')}</p>
        <label>{t('login.username')}<input name="username" autocomplete="username" required autofocus /></label>
        <label>{t('login.password')}<input name="password" type="password" autocomplete="current-password" required /></label>
        {needTotp && <label>{t('login.totp')}<input name="totp" inputMode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required /></label>}
        <button type="submit" disabled={busy}>{t('login.submit')}</button>
        <ErrorLine error={error} />
        <div class="login-foot">
          <LangSwitch />
        </div>
      </form>
    </div>
  );
}

function LangSwitch() {
  const l = useSignal(lang);
  return (
    <span class="lang-switch">
      <button type="button" class={l === 'vi' ? 'on' : ''} onClick={() => setLang('vi')}>VI</button>
      <button type="button" class={l === 'en' ? 'on' : ''} onClick={() => setLang('en')}>EN</button>
    </span>
  );
}

const DETAIL_PARENT: Record<string, string> = { incident: 'incidents', case: 'cases' };

/** Keys that work on every page: `/` goes to the search box, Escape leaves a detail page for where the analyst came from. */
function globalKey(e: KeyboardEvent, section: string): void {
  const el = e.target as HTMLElement;
  const typing = el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable;
  if (typing || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
  if (e.key === '/') {
    e.preventDefault();
    if (section !== 'search') go('search');
    focusSearch();
  } else if (e.key === 'Escape' && DETAIL_PARENT[section]) {
    e.preventDefault();
    back(DETAIL_PARENT[section]);
  }
}

function focusSearch(tries = 40): void {
  const box = document.getElementById('query') as HTMLInputElement | null;
  if (box) { box.focus(); box.select(); return; }
  if (tries > 0) setTimeout(() => focusSearch(tries - 1), 25); // the search view renders after the route changes
}

const ZONES = ['Asia/Ho_Chi_Minh', 'UTC', 'Asia/Bangkok', 'Asia/Singapore', 'Asia/Tokyo', 'Europe/Paris', 'America/New_York'];

function Shell() {
  const user = useSignal(me)!;
  const r = useSignal(route);
  const live = useSignal(connected);
  const tz = useSignal(timeZone);
  useSignal(lang);
  useEffect(() => {
    loadTenants().catch(() => undefined);
    startLive().catch(() => undefined);
    return () => stopLive();
  }, []);
  const section = r.path[0] || 'incidents';
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => globalKey(e, route.get().path[0] || 'incidents');
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const nav: [string, string, boolean][] = [
    ['incidents', t('nav.incidents'), true],
    ['cases', t('nav.cases'), true],
    ['search', t('nav.search'), true],
    ['dashboards', t('nav.dashboards'), true],
    ['rules', t('nav.rules'), can.seeRules(user)],
    ['agencies', t('nav.agencies'), true],
    ['websites', t('nav.websites'), true],
    ['infected', t('nav.infected'), true],
    ['vulns', t('nav.vulns'), true],
    ['users', t('nav.users'), can.admin(user)],
    ['audit', t('nav.audit'), can.audit(user)],
    ['account', t('nav.account'), true],
  ];
  const logout = async () => {
    await api.post('/api/auth/logout').catch(() => undefined);
    me.set(null);
  };
  let view;
  switch (section) {
    case 'incident': view = <IncidentView id={r.path[1]} />; break;
    case 'cases': view = <CasesView />; break;
    case 'case': view = <CaseView id={r.path[1]} />; break;
    case 'search': view = <SearchView params={r.params} />; break;
    case 'dashboards': view = <DashboardsView />; break;
    case 'rules': view = <RulesView />; break;
    case 'agencies': view = <AgenciesView />; break;
    case 'websites': view = <WebsitesView />; break;
    case 'infected': view = <InfectedView />; break;
    case 'vulns': view = <VulnsView />; break;
    case 'users': view = <UsersView />; break;
    case 'audit': view = <AuditView />; break;
    case 'account': view = <AccountView />; break;
    default: view = <IncidentsView />;
  }
  return (
    <div class="shell">
      <aside class="side">
        <div class="brand">canh<b>gác</b></div>
        <nav>
          {nav.filter((n) => n[2]).map(([id, label]) => (
            <a href={`#/${id}`} class={section === id || (section === 'incident' && id === 'incidents') || (section === 'case' && id === 'cases') ? 'on' : ''} data-nav={id}>{label}</a>
          ))}
        </nav>
      </aside>
      <div class="main">
        <header class="top">
          <span class={`live ${live ? 'on' : 'off'}`} id="live">● {live ? t('live.on') : t('live.off')}</span>
          <div class="spacer" />
          <select value={tz} onChange={(e) => setTimeZone(e.currentTarget.value)} title={t('acc.tz')} class="tz">
            {(ZONES.includes(tz) ? ZONES : [tz, ...ZONES]).map((z) => <option value={z}>{z}</option>)}
          </select>
          <LangSwitch />
          <span class="keys-help" id="keys-help" tabIndex={0} title={t('keys.help')} aria-label={`${t('keys.title')}: ${t('keys.help')}`}>⌨ ?</span>
          <span class="who" id="who">{user.username} <span class="role">{t(`role.${user.role}`)}</span></span>
          <button class="ghost" onClick={logout} id="logout">{t('logout')}</button>
        </header>
        <main class="content" key={lang.get() + tz}>{view}</main>
      </div>
    </div>
  );
}

function App() {
  const user = useSignal(me);
  useSignal(lang);
  useEffect(() => {
    document.documentElement.lang = lang.get();
    api.get<Me>('/api/auth/me').then((m) => me.set(m), () => me.set(null));
  }, []);
  if (user === undefined) return <div class="boot">{t('loading')}</div>;
  if (user === null) return <Login />;
  return <Shell />;
}

render(<App />, document.getElementById('app')!);
