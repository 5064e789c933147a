import { deliberateReason, formatTable } from './conformance';
import { DELIBERATE } from './conformance-deliberate';

const FTD = '<166>Mar 14 2026 03:05:09Z  %FTD-6-113005: AAA user authentication Rejected : reason = Invalid password';
const diff = (over: Partial<Parameters<typeof deliberateReason>[1]>) =>
  deliberateReason(DELIBERATE, { pkg: 'cisco_ftd', file: 'data_stream/log/_dev/test/pipeline/x.log', field: 'host.hostname', expected: 'Mar', actual: undefined, original: FTD, doc: {}, ...over });

describe('conformance: documented deliberate differences', () => {
  test("Elastic's FTD header misread is deliberate only on a host-less header and only for the month it took", () => {
    expect(diff({})).toMatch(/header/);
    expect(diff({ field: 'process.name', expected: '14' })).toMatch(/header/);
    // a real host name Elastic found and we missed is a difference of ours
    expect(diff({ expected: 'fw-hq' })).toBeUndefined();
    expect(diff({ original: '<166>Mar 14 2026 03:05:09 fw-hq : %FTD-6-113005: AAA user authentication Rejected' })).toBeUndefined();
    expect(diff({ actual: 'fw-hq' })).toBeUndefined();
    expect(diff({ pkg: 'cisco_asa' })).toBeUndefined();
  });

  test('in an array only the values an entry explains are deliberate: the rest must be what we produce', () => {
    expect(diff({ field: 'related.hosts', expected: ['Mar'] })).toMatch(/header/);
    expect(diff({ field: 'related.hosts', expected: ['Mar', 'fw-hq'], actual: ['fw-hq'] })).toMatch(/header/);
    expect(diff({ field: 'related.hosts', expected: ['Mar', 'fw-hq'] })).toBeUndefined();
  });

  test("a value kept under another field counts only when it is Elastic's value (hex compared ignoring case)", () => {
    const sep = { pkg: 'symantec_endpoint', file: 'data_stream/log/x.log', field: 'file.hash.sha1', expected: 'ab6ef1497c', actual: undefined, original: '' };
    expect(deliberateReason(DELIBERATE, { ...sep, doc: { 'symantec_endpoint.log.certificate_thumbprint': 'AB6EF1497C' } })).toMatch(/thumbprint/);
    expect(deliberateReason(DELIBERATE, { ...sep, doc: { 'symantec_endpoint.log.certificate_thumbprint': 'FFFF' } })).toBeUndefined();
    expect(deliberateReason(DELIBERATE, { ...sep, doc: {} })).toBeUndefined();
  });

  test('the table shows raw and adjusted agreement and the deliberate count', () => {
    const table = formatTable([{ pkg: 'cisco_ftd', files: 1, docs: 4, total: 96, equal: 80, deliberate: 16, ratio: 80 / 96, adjusted: 1 }], { cisco_ftd: 1 });
    expect(table.split('\n')[0]).toMatch(/deliberate\s+raw\s+adjusted\s+threshold/);
    expect(table.split('\n')[1]).toMatch(/^cisco_ftd\s+1\s+4\s+96\s+80\s+16\s+83\.3%\s+100\.0%\s+100%$/);
  });
});
