// Users and roles: create (argon2id on the server), role, agencies; disable/enable.
import type { ApiUser } from '../../../server/apitypes';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, tenants } from '../api';
import { t } from '../i18n';
import { useSignal } from '../state';
import { ErrorLine, Panel } from '../ui';

type User = ApiUser;
const ROLES = ['admin', 'analyst', 'responder', 'auditor', 'viewer'];

export function UsersView() {
  const names = useSignal(tenants);
  const [users, setUsers] = useState<User[]>([]);
  const [form, setForm] = useState({ username: '', password: '', role: 'analyst', agencies: [] as string[] });
  const [err, setErr] = useState<string | null>(null);
  const load = () => api.get<{ items: User[] }>('/api/users').then((r) => setUsers(r.items), (e: Error) => setErr(e.message));
  useEffect(() => { load(); }, []);
  const create = async (e: Event) => {
    e.preventDefault();
    setErr(null);
    try {
      await api.post('/api/users', form);
      setForm({ username: '', password: '', role: 'analyst', agencies: [] });
      load();
    } catch (x) { setErr(x instanceof ApiError ? x.message : String(x)); }
  };
  const patch = async (u: string, body: Record<string, unknown>) => {
    setErr(null);
    try { await api.patch(`/api/users/${encodeURIComponent(u)}`, body); load(); } catch (x) { setErr(x instanceof ApiError ? x.message : String(x)); }
  };
  return (
    <div class="view users-view">
      <Panel title={t('u.add')}>
        <form class="form-row" onSubmit={create} id="user-form">
          <label>{t('login.username')}<input value={form.username} onInput={(e) => setForm({ ...form, username: e.currentTarget.value })} required name="new-username" /></label>
          <label>{t('login.password')}<input type="password" value={form.password} onInput={(e) => setForm({ ...form, password: e.currentTarget.value })} required minLength={10} autocomplete="new-password" name="new-password" /></label>
          <label>{t('u.role')}<select value={form.role} onChange={(e) => setForm({ ...form, role: e.currentTarget.value })} name="new-role">{ROLES.map((r) => <option value={r}>{t(`role.${r}`)}</option>)}</select></label>
          {/* any role can be scoped to agencies; none selected: a SOC role sees all */}
          <label>{t('u.agencies')}<select multiple size={3} onChange={(e) => setForm({ ...form, agencies: [...e.currentTarget.selectedOptions].map((o) => o.value) })} name="new-agencies">
            {[...names.entries()].map(([id, n]) => <option value={id} selected={form.agencies.includes(id)}>{n}</option>)}
          </select></label>
          <button type="submit">{t('u.create')}</button>
        </form>
        <ErrorLine error={err} />
      </Panel>
      <div class="table-wrap">
        <table class="grid" id="users">
          <thead><tr><th>{t('login.username')}</th><th>{t('u.role')}</th><th>{t('u.agencies')}</th><th>{t('ru.status')}</th><th>{t('u.totp')}</th><th /></tr></thead>
          <tbody>
            {users.map((u) => (
              <tr>
                <td class="strong">{u.username}</td>
                <td><select value={u.role} onChange={(e) => patch(u.username, { role: e.currentTarget.value, ...(e.currentTarget.value === 'viewer' && !u.agencies.length ? { agencies: [...names.keys()].slice(0, 1) } : {}) })}>{ROLES.map((r) => <option value={r}>{t(`role.${r}`)}</option>)}</select></td>
                <td>
                  <select multiple size={Math.min(3, names.size)} onChange={(e) => patch(u.username, { agencies: [...e.currentTarget.selectedOptions].map((o) => o.value) })}>
                    {[...names.entries()].map(([id, n]) => <option value={id} selected={u.agencies.includes(id)}>{n}</option>)}
                  </select>
                  {!u.agencies.length && <span class="faint"> {t('all')}</span>}
                </td>
                <td>{u.disabled ? <span class="bad">{t('u.disabled')}</span> : u.locked ? <><span class="warn">{t('u.locked')}</span> <button class="small ghost" onClick={() => patch(u.username, { disabled: false })}>{t('u.enable')}</button></> : <span class="ok">●</span>}</td>
                <td>{u.totp ? <><span class="ok">✓</span> <button class="small ghost" onClick={() => confirm(t('u.totp_reset') + '?') && patch(u.username, { totp: false })}>{t('u.totp_reset')}</button></> : <span class="faint">—</span>}</td>
                <td class="num">
                  <button class="small ghost" onClick={() => { const pw = prompt(t('u.new_password')); if (pw) patch(u.username, { password: pw }); }}>{t('u.reset_password')}</button>{' '}
                  <button class="small ghost" onClick={() => patch(u.username, { disabled: !u.disabled })}>{u.disabled ? t('u.enable') : t('u.disable')}</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
