import { fmt } from '../../src/http/view-helpers';

/** fmt.int writes safe integers by hand; it must write exactly what Intl.NumberFormat('en-US') writes. */
describe('fmt.int', () => {
  const intl = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

  it('writes every number as Intl.NumberFormat does, rounded', () => {
    const values = [0, -0, 0.4, -0.4, 0.5, 1, 9, 10, 99, 100, 999, 1000, 1001, 9999, 12345, 123456, 999999999];
    for (let p = 1; p < 1e16; p *= 7) values.push(p, -p, p + 0.5, p - 1);
    values.push(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 60, 1e21, -1e22);
    for (const v of values) expect([v, fmt.int(v)]).toEqual([v, intl.format(Math.round(v))]);
  });

  it('writes nothing for a missing number', () => {
    expect(fmt.int(null)).toBe('');
    expect(fmt.int(undefined)).toBe('');
  });
});
