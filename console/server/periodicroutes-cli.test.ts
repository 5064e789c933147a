/** `canhgac report periodic`: the report of an agency or the province written to a file, audited as "cli"; bad usage, a bad period and an unknown agency are refused by name. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSqliteStore } from '../../core/store/sqlite';
import { B_SECRETS, FROM, FROM_ISO, seedPeriodic, TO, TO_ISO } from '../../reports/periodic-fixtures';
import { pdfText } from '../../reports/readers';
import { periodicReportCli } from './periodicroutes-cli';

test('report periodic writes the PDF or JSON of an agency or the province, audited; refusals name what was wrong', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canhgac-periodic-cli-'));
  const store = createSqliteStore({ path: path.join(dir, 'c.db') });
  await store.init();
  await seedPeriodic(store, { tenants: true });
  const out: string[] = [];
  const io = { stdout: (s: string) => out.push(s), stderr: (s: string) => out.push(`ERR ${s}`) };
  try {
    const pdf = path.join(dir, 'a.pdf');
    expect(await periodicReportCli(store, { positionals: ['periodic'], tenant: 'so-a', from: FROM, to: TO, out: pdf }, io)).toBe(0);
    expect(out.pop()).toBe(`BÁO CÁO ĐỊNH KỲ CÔNG TÁC GIÁM SÁT AN TOÀN THÔNG TIN MẠNG – Sở Tài chính tỉnh A, ${FROM_ISO} to ${TO_ISO}: 5 events, 3 alerts, 3 incidents; written to ${pdf}`);
    const text = pdfText(fs.readFileSync(pdf)).replace(/\s+/g, ' ');
    expect(text).toContain('Tổng số sự cố: 3');
    for (const s of B_SECRETS) expect({ s, found: text.includes(s) }).toEqual({ s, found: false });

    const json = path.join(dir, 'province.json');
    expect(await periodicReportCli(store, { positionals: ['periodic'], from: FROM, to: TO, out: json }, io)).toBe(0);
    expect(JSON.parse(fs.readFileSync(json, 'utf8'))).toMatchObject({ scope: 'province', subject: 'Toàn tỉnh', incidents: { total: 4 } });

    const audit = (await store.listAudit({})).filter((e) => e.action === 'report.periodic');
    expect(audit.map((e) => [e.actor, e.target, (e.details as { format: string }).format])).toEqual([['cli', 'so-a', 'pdf'], ['cli', 'province', 'json']]);

    expect(await periodicReportCli(store, { positionals: ['periodic'], tenant: 'so-zz', out: pdf }, io)).toBe(2);
    expect(out.pop()).toBe('ERR report periodic: --tenant: no agency "so-zz" (canhgac tenant list shows them)');
    expect(await periodicReportCli(store, { positionals: ['periodic'], from: '2026-12-01', to: '2026-06-01', out: pdf }, io)).toBe(2);
    expect(out.pop()).toBe('ERR report periodic: --from: 2026-11-30T17:00:00.000Z must be before to (2026-05-31T17:00:00.000Z)');
    expect(await periodicReportCli(store, { positionals: ['periodic'] }, io)).toBe(2);
    expect(out.pop()).toMatch(/^ERR usage: canhgac report periodic/);
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
