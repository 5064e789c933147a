import { csvRow } from './csv';

test('CSV cells are quoted per RFC 4180 and a cell a spreadsheet would run as a formula is neutralised', () => {
  expect(csvRow(['a', 'b,c', 'say "hi"', 'two\nlines', null, 42, ['x', 'y']])).toBe('a,"b,c","say ""hi""","two\nlines",,42,"[""x"",""y""]"\r\n');
  expect(csvRow(['=HYPERLINK("http://example.invalid")', '+1', '-2', '@SUM(A1)', 'Sở Y tế'])).toBe(`"'=HYPERLINK(""http://example.invalid"")",'+1,'-2,'@SUM(A1),Sở Y tế\r\n`);
});
