import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../src/core/csv';

describe('numbers in CSV exports', () => {
  it('drops the noise of binary sums (74.02000000000001 → 74.02) and keeps what round-trips', () => {
    const noisy = 70.01 + 4.01; // 74.02000000000001 in binary floating point
    expect(String(noisy)).not.toBe('74.02');
    expect(csvCell(noisy)).toBe('74.02');
    expect(csvCell(0.1 + 0.2)).toBe('0.3');
    expect(csvCell(1 / 3)).toBe('0.333333333333333');
    expect(csvCell(123456789012)).toBe('123456789012');
    expect(csvCell(-2.5e-7)).toBe('-2.5e-7');
    expect(csvCell(Number.NaN)).toBe('');
  });

  it('every written number reads back within a part in 10^14 of the value', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 2000; i++) {
      const v = (random() - 0.5) * 10 ** Math.floor(random() * 12 - 4);
      const back = Number(csvCell(v));
      expect(Math.abs(back - v)).toBeLessThanOrEqual(Math.abs(v) * 1e-14);
    }
  });

  it('a table of sums is written without float noise', () => {
    const csv = toCsv([{ customer: 'a', total: 70.01 + 4.01 }]);
    expect(csv).toBe('customer,total\na,74.02\n');
  });
});
