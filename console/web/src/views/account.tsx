// The caller's account: language and time zone, API tokens for scripts, TOTP second factor.
import type { ApiToken } from '../../../server/apitypes';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, me } from '../api';
import { fmtTime, lang, setLang, setTimeZone, t, timeZone } from '../i18n';
import { useSignal } from '../state';
import { ErrorLine, Panel } from '../ui';

type Token = ApiToken;

export function AccountView() {
  const user = useSignal(me)!;
  const l = useSignal(lang);
  const tz = useSignal(timeZone);
  const [tokens, setTokens] = useState<Token[]>([]);
  const [label, setLabel] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [setup, setSetup] = useState<{ secret: string; uri: string } | null>(null);
  const [code, setCode] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const load = () => api.get<{ items: Token[] }>('/api/tokens').then((r) => setTokens(r.items), () => undefined);
  useEffect(() => { load(); }, []);
  const guard = async (fn: () => Promise<void>) => { setErr(null); try { await fn(); } catch (e) { setErr(e instanceof ApiError ? e.message : String(e)); } };
  return (
    <div class="view account-view">
      <ErrorLine error={err} />
      <div class="cols cols-2">
        <Panel title={`${user.username} · ${t(`role.${user.role}`)}`}>
          <div class="form-row">
            <label>{t('acc.lang')}<select value={l} onChange={(e) => setLang(e.currentTarget.value as 'vi' | 'en')}><option value="vi">Tiếng Việt</option><option value="en">English</option></select></label>
            <label>{t('acc.tz')}<input value={tz} onChange={(e) => { try { new Intl.DateTimeFormat('en', { timeZone: e.currentTarget.value }); setTimeZone(e.currentTarget.value); } catch { setErr(`${e.currentTarget.value}: unknown time zone`); } }} /></label>
          </div>
        </Panel>
        <Panel title={t('acc.totp')} actions={<span class={user.totp ? 'ok' : 'faint'}>{user.totp ? t('acc.totp_on') : t('acc.totp_off')}</span>}>
          {!user.totp && !setup && <button onClick={() => guard(async () => setSetup(await api.post('/api/auth/totp/setup')))}>{t('acc.totp_setup')}</button>}
          {setup && <div class="view"><span class="muted">{t('acc.totp_scan')}</span><div class="secret">{setup.secret}</div><div class="mono faint">{setup.uri}</div></div>}
          {(setup || user.totp) && (
            <div class="form-row" style="margin-top:8px">
              <input inputMode="numeric" pattern="[0-9]{6}" placeholder="123456" value={code} onInput={(e) => setCode(e.currentTarget.value)} />
              <button onClick={() => guard(async () => {
                const r = await api.post<{ totp: boolean }>(`/api/auth/totp/${user.totp ? 'disable' : 'enable'}`, { code });
                me.set({ ...user, totp: r.totp });
                setSetup(null);
                setCode('');
              })}>{user.totp ? t('acc.totp_disable') : t('acc.totp_enable')}</button>
            </div>
          )}
        </Panel>
      </div>
      <Panel title={t('acc.tokens')}>
        {secret && <div><div class="muted">{t('ag.secret_once')}</div><div class="secret">{secret}</div></div>}
        <div class="form-row">
          <input placeholder={t('ag.label')} value={label} onInput={(e) => setLabel(e.currentTarget.value)} />
          <button onClick={() => guard(async () => { const r = await api.post<{ secret: string }>('/api/tokens', label ? { label } : {}); setSecret(r.secret); setLabel(''); await load(); })}>{t('acc.create')}</button>
        </div>
        <table class="grid"><thead><tr><th>ID</th><th>{t('ag.label')}</th><th>{t('ag.created')}</th><th /></tr></thead><tbody>
          {tokens.map((k) => (
            <tr><td class="mono">{k.id}</td><td>{k.label ?? '—'}</td><td>{fmtTime(k.created)}</td>
              <td class="num">{k.revoked ? <span class="faint">{t('ag.revoked')}</span> : <button class="small danger" onClick={() => guard(async () => { await api.post(`/api/tokens/${k.id}/revoke`); await load(); })}>{t('ag.revoke')}</button>}</td></tr>
          ))}
        </tbody></table>
      </Panel>
    </div>
  );
}
