/**
 * P(alive) over a customer's history, checked against the BG/NBD formula written out by hand
 * (Fader, Hardie & Lee 2005, eq. 2 of "Computing P(alive) using the BG/NBD model"):
 *   P(alive | x, t_x, T) = 1 / (1 + 1{x>0} · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)),
 * with x, t_x and T counted by hand from the purchase days as they stood on each day.
 */
import { describe, expect, it } from 'vitest';
import { pAliveHistory } from '../../src/core/models/pAliveHistory';

/** The CDNOW sample estimates in weeks (Fader, Hardie & Lee 2005). */
const P = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

function handPAlive(x: number, tx: number, T: number): number {
  if (x === 0) return 1;
  return 1 / (1 + (P.a / (P.b + x - 1)) * ((P.alpha + T) / (P.alpha + tx)) ** (P.r + x));
}

/** 1997-01-01 as a day number (days since 1970-01-01). */
const BASE = Date.UTC(1997, 0, 1) / 86_400_000;

describe('pAliveHistory (BG/NBD)', () => {
  // First purchase on day 0, repeats on days 14, 35 and 70; cutoff on day 273 (39 weeks).
  const purchases = [0, 14, 35, 70].map((d) => BASE + d);
  const cutoff = BASE + 273;
  const points = pAliveHistory('bgnbd', P, [...purchases, BASE + 300], cutoff, { unitDays: 7 });
  const valueOn = (day: number) => points.filter((p) => p.day === BASE + day).map((p) => p.pAlive);

  it('ends at the cutoff with the P(alive) of x = 3, t_x = 10 weeks, T = 39 weeks', () => {
    const last = points[points.length - 1];
    expect(last.day).toBe(cutoff);
    expect(last.pAlive).toBeCloseTo(handPAlive(3, 70 / 7, 273 / 7), 12);
  });

  it('is 1 until the first repeat purchase, then jumps on each purchase day', () => {
    expect(valueOn(0)).toEqual([1]);
    expect(valueOn(7)).toEqual([1]);
    // Day 14: the moment before the purchase (x = 0) and with it (x = 1, t_x = T = 2 weeks).
    const [before14, after14] = valueOn(14);
    expect(before14).toBe(1);
    expect(after14).toBeCloseTo(handPAlive(1, 2, 2), 12);
    const [before35, after35] = valueOn(35);
    expect(before35).toBeCloseTo(handPAlive(1, 2, 5), 12);
    expect(after35).toBeCloseTo(handPAlive(2, 5, 5), 12);
    expect(after35).toBeGreaterThan(before35);
  });

  it('is evaluated every week and decays while the customer is quiet', () => {
    const weekly = points.filter((p) => (p.day - BASE) % 7 === 0 && p.day <= cutoff);
    for (let d = 0; d < 273; d += 7) expect(points.some((p) => p.day === BASE + d)).toBe(true);
    const quiet = points.filter((p) => p.day > BASE + 70);
    for (let i = 1; i < quiet.length; i++) expect(quiet[i].pAlive).toBeLessThan(quiet[i - 1].pAlive);
    // Every grid value is the hand formula with the purchases made by that day.
    for (const p of weekly) {
      const d = p.day - BASE;
      const made = [14, 35, 70].filter((q) => q <= d);
      if (made.includes(d)) continue; // purchase days are checked above (two points each)
      const x = made.length;
      const tx = x === 0 ? 0 : made[x - 1] / 7;
      expect(p.pAlive).toBeCloseTo(handPAlive(x, tx, d / 7), 12);
    }
  });

  it('ignores purchases after the cutoff', () => {
    expect(points.every((p) => p.day <= cutoff)).toBe(true);
  });

  it('coarsens the grid for a long history and keeps every purchase day', () => {
    const days = [0, 400, 1500].map((d) => BASE + d);
    const long = pAliveHistory('bgnbd', P, days, BASE + 2000, { unitDays: 1, maxPoints: 100 });
    // About 100 grid days, plus two points per repeat purchase and the cutoff.
    expect(long.length).toBeLessThanOrEqual(100 + 2 * 2 + 2);
    for (const d of days.slice(1)) expect(long.filter((p) => p.day === d).length).toBe(2);
    expect(long[long.length - 1].pAlive).toBeCloseTo(handPAlive(2, 1500, 2000), 12);
  });

  it('a customer with no purchase up to the cutoff has no history', () => {
    expect(pAliveHistory('bgnbd', P, [BASE + 400], BASE + 300, { unitDays: 7 })).toEqual([]);
  });
});

describe('pAliveHistory (MBG/NBD)', () => {
  // Batislam, Denizel & Filiztekin (2007): P(alive | x, t_x, T) = 1 / (1 + a/(b+x) · ((α+T)/(α+t_x))^(r+x)),
  // below 1 even before any repeat purchase.
  const M = { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 };
  const hand = (x: number, tx: number, T: number) => 1 / (1 + (M.a / (M.b + x)) * ((M.alpha + T) / (M.alpha + tx)) ** (M.r + x));
  const points = pAliveHistory('mbgnbd', M, [0, 14, 35, 70].map((d) => BASE + d), BASE + 273, { unitDays: 7 });

  it('starts below 1 and ends on the formula at the cutoff', () => {
    expect(points[0].pAlive).toBeCloseTo(hand(0, 0, 0), 12);
    expect(points[0].pAlive).toBeLessThan(1);
    expect(points[points.length - 1].pAlive).toBeCloseTo(hand(3, 10, 39), 12);
  });
});
