/** The baseline beside a change: what is marked, what is not (dates, counters, a rotating news list). */
import { digest, emptyBaseline, learn } from './baseline';
import { readPage } from './html';
import { sideBySide } from './sidebyside';
import { portalPage } from './testkit';
import { loadVocabulary } from './vocabulary';

const URL_ = 'https://stttt.example.gov.vn/';
const vocabulary = loadVocabulary();
const textOf = (html: string) => readPage(html, URL_).lines.join('\n');

test('lines that differ only in digits are the same; a gambling block is marked added, nothing else', () => {
  const r = sideBySide('Trang chủ\nHôm nay: ngày 1 tháng 2 năm 2026\nLượt truy cập: 123456', 'Trang chủ\nHôm nay: ngày 9 tháng 3 năm 2026\nNhà cái uy tín: tài xỉu\nLượt truy cập: 999999');
  expect(r.rows).toEqual([
    { baseline: 'Trang chủ', changed: 'Trang chủ', mark: 'same' },
    { baseline: 'Hôm nay: ngày 1 tháng 2 năm 2026', changed: 'Hôm nay: ngày 9 tháng 3 năm 2026', mark: 'same' },
    { baseline: null, changed: 'Nhà cái uy tín: tài xỉu', mark: 'added' },
    { baseline: 'Lượt truy cập: 123456', changed: 'Lượt truy cập: 999999', mark: 'same' },
  ]);
  expect([r.added, r.removed, r.truncated]).toEqual([1, 0, false]);
});

test('a replaced heading is one changed row, a gone line a removed row', () => {
  const r = sideBySide('A\nSở Thông tin và Truyền thông\nB\nC', 'A\nHacked by someone\nB');
  expect(r.rows.map((x) => x.mark)).toEqual(['same', 'changed', 'same', 'removed']);
  expect(r.rows[1]).toEqual({ baseline: 'Sở Thông tin và Truyền thông', changed: 'Hacked by someone', mark: 'changed' });
  expect([r.added, r.removed]).toEqual([1, 2]);
});

test('a new line beside a line that only moved is added, not a replacement of it', () => {
  const r = sideBySide('A\nTin 1\nB', 'A\nNổ hũ đổi thưởng\nB\nTin 1');
  expect(r.rows).toEqual([
    { baseline: 'A', changed: 'A', mark: 'same' },
    { baseline: 'Tin 1', changed: 'Nổ hũ đổi thưởng', mark: 'added' },
    { baseline: 'B', changed: 'B', mark: 'same' },
    { baseline: null, changed: 'Tin 1', mark: 'volatile' },
  ]);
  expect([r.added, r.removed]).toEqual([1, 0]);
});

test('on a real portal: a news list that rotated is volatile, only the injected block is new', () => {
  let b = emptyBaseline();
  for (let n = 1; n <= 3; n++) b = learn(b, digest(readPage(portalPage(n), URL_), URL_, vocabulary));
  const r = sideBySide(textOf(portalPage(1)), textOf(portalPage(7, '<p>Cá cược bóng đá, nổ hũ đổi thưởng</p>')), b);
  expect(r.rows.filter((x) => x.mark !== 'same' && x.mark !== 'volatile')).toEqual([{ baseline: null, changed: 'Cá cược bóng đá, nổ hũ đổi thưởng', mark: 'added' }]);
  expect(r.rows.filter((x) => x.mark === 'removed')).toEqual([]);
  expect(r.rows.some((x) => x.mark === 'volatile')).toBe(true);
  expect(r.added).toBe(1);
});

test('a page of many lines is compared up to the bound and says so', () => {
  const many = Array.from({ length: 3000 }, (_, i) => `dòng ${String.fromCharCode(65 + (i % 26))}${i % 7}`).join('\n');
  const r = sideBySide(many, many + '\nthêm');
  expect(r.truncated).toBe(true);
  expect(r.rows.length).toBe(1500);
  expect(r.rows.every((x) => x.mark === 'same')).toBe(true);
});
