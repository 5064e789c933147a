import { readPage } from './html';
import { createVocabulary, loadVocabulary } from './vocabulary';

test('text in blocks, external scripts, iframes, links, hidden links and redirects', () => {
  const f = readPage(
    `<html><head><title>Sở Y tế &amp; Dân số</title><meta http-equiv="Refresh" content="5; URL='/moi'"><script src="//cdn.example.net/a.js"></script>
<script>var a = 1; if (x) { window.location = "https://bet.example/"; } location.replace('/b')</script><style>p{color:red}</style></head>
<body><div>Trang chủ</div><p>Giới thiệu<br>Liên hệ</p><iframe src="https://maps.example.com/e"></iframe>
<a href="/tin/1">Tin</a><a href="mailto:a@b">mail</a><div style="display: none"><div><a href="https://casino.example/">x</a> ẩn</div></div><p hidden>ẩn nữa</p>
<!-- <a href="https://commented.example/">no</a> --></body></html>`,
    'https://soyte.example.gov.vn/',
  );
  expect(f.title).toBe('Sở Y tế & Dân số');
  expect(f.lines).toEqual(['Sở Y tế & Dân số', 'Trang chủ', 'Giới thiệu', 'Liên hệ', 'Tin mail']);
  expect(f.scriptSrcs).toEqual(['https://cdn.example.net/a.js']);
  expect(f.iframeSrcs).toEqual(['https://maps.example.com/e']);
  expect(f.linkHrefs).toEqual(['https://soyte.example.gov.vn/tin/1']);
  expect(f.hiddenHrefs).toEqual(['https://casino.example/']);
  expect(f.hiddenText).toEqual(['x ẩn', 'ẩn nữa']);
  expect(f.metaRefresh).toBe('https://soyte.example.gov.vn/moi');
  expect(f.jsRedirects).toEqual(['https://bet.example/', '/b']);
});

test('broken markup, unclosed quotes and tags, and a megabyte of "<" do not throw and end in bounded time', () => {
  for (const html of ['<div <p>"unclosed <a href=\'x>y', '<script>never closed', '<'.repeat(1_000_000), '<a href="' + 'x'.repeat(500_000), '\u0000\uffff<b>ok</b>']) {
    expect(() => readPage(html, 'http://127.0.0.1/')).not.toThrow();
  }
  expect(readPage('<b>ok</b>', 'http://127.0.0.1/').lines).toEqual(['ok']);
});

test('the vocabulary matches whole phrases in any Unicode form and case, and refuses a term too short to be safe', () => {
  const v = loadVocabulary();
  expect(v.find('Nhà Cái uy tín, TÀI XỈU')).toEqual(['nhà cái', 'tài xỉu']);
  expect(v.find('Nha\u0300 ca\u0301i'.normalize('NFD'))).toEqual(['nhà cái']); // decomposed, as some editors save it
  expect(v.find('cá cượcxyz and xcasino online')).toEqual([]);
  expect(v.find('Sở Thông tin và Truyền thông: lịch tiếp công dân')).toEqual([]);
  expect(createVocabulary(['casino online']).find('best casino online!')).toEqual(['casino online']);
  const { parseVocabulary } = require('./vocabulary') as typeof import('./vocabulary');
  expect(() => parseVocabulary('ok term\nab\n', 'terms.txt')).toThrow('terms.txt:2: the term "ab" is shorter than 3 characters');
});

test('a doctype, an XML declaration and CDATA markers are not text of the page', () => {
  const f = readPage('<?xml version="1.0" encoding="utf-8"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN"><html><body><p>Sở Y tế</p></body></html>', 'https://soyte.example.gov.vn/');
  expect(f.lines).toEqual(['Sở Y tế']);
});
