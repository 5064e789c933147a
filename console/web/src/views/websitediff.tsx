// The baseline's text beside the text of a site's last change, line by line; the lines that differ are marked (colour and a sign).
import type { ApiSideBySide, ApiWebsiteChange } from '../../../server/apitypes';
import { fmtTime, lang } from '../i18n';
import { useSignal } from '../state';

// what GET /api/websites/:id/snapshots declares (console/server/websiteschemas.ts), not copies
export type SideBySide = ApiSideBySide;
export type RowMark = SideBySide['rows'][number]['mark'];
export type ChangeSnapshot = ApiWebsiteChange;

const WORDS = {
  vi: { baseline: 'Nội dung chuẩn (đã học)', changed: 'Khi thay đổi', added: 'dòng mới', removed: 'dòng chuẩn bị mất', truncated: 'Trang dài: chỉ so sánh 1500 dòng đầu.', none: 'Chưa có thay đổi nội dung nào so với nội dung chuẩn.', volatile: 'dòng thay đổi thường xuyên (tin tức, bộ đếm) được tô nhạt' },
  en: { baseline: 'Baseline (learned)', changed: 'When it changed', added: 'new lines', removed: 'baseline lines gone', truncated: 'A long page: only the first 1500 lines are compared.', none: 'No content change against the baseline yet.', volatile: 'lines that change routinely (news, counters) are shown faint' },
};
const SIGN: Record<RowMark, [string, string]> = { same: [' ', ' '], removed: ['−', ' '], added: [' ', '+'], changed: ['−', '+'], volatile: ['~', '~'] };
const BG = { gone: 'background:rgba(220,38,38,.18)', fresh: 'background:rgba(22,163,74,.2)', faint: 'opacity:.55' };

function cellStyle(mark: RowMark, side: 'baseline' | 'changed'): string {
  if (mark === 'volatile') return BG.faint;
  if (side === 'baseline' && (mark === 'removed' || mark === 'changed')) return BG.gone;
  if (side === 'changed' && (mark === 'added' || mark === 'changed')) return BG.fresh;
  return '';
}

export function SideBySideDiff({ data, baselineAt, change }: { data: SideBySide | null; baselineAt: string | null; change: ChangeSnapshot | null }) {
  const w = WORDS[useSignal(lang)];
  if (!data || !change) return <p class="faint" id="website-nochange">{w.none}</p>;
  return (
    <div class="side-by-side">
      <p class="diff-summary" id="website-diff-summary">
        <b>{change.kinds.join(', ')}</b>{change.details?.length ? ` — ${change.details.join('; ')}` : ''} · <span data-count="added">{data.added}</span> {w.added} · <span data-count="removed">{data.removed}</span> {w.removed} · <span class="faint">{w.volatile}</span>
      </p>
      {data.truncated && <p class="warn">{w.truncated}</p>}
      <table class="grid mono" id="website-diff" style="table-layout:fixed;width:100%">
        <thead><tr><th style="width:1.5em" /><th>{w.baseline} {baselineAt && <span class="faint">{fmtTime(baselineAt)}</span>}</th><th style="width:1.5em" /><th>{w.changed} <span class="faint">{fmtTime(change.at)}</span></th></tr></thead>
        <tbody>
          {data.rows.map((r) => (
            <tr data-mark={r.mark} class={`diff-${r.mark}`}>
              <td aria-hidden="true">{SIGN[r.mark][0]}</td>
              <td data-side="baseline" style={`${cellStyle(r.mark, 'baseline')};white-space:pre-wrap;word-break:break-word`}>{r.baseline ?? ''}</td>
              <td aria-hidden="true">{SIGN[r.mark][1]}</td>
              <td data-side="changed" style={`${cellStyle(r.mark, 'changed')};white-space:pre-wrap;word-break:break-word`}>{r.changed ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
