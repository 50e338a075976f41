/**
 * One churn definition everywhere: P(no purchase in the period). BG/NBD's is checked against the
 * closed form written out here (a customer alive at T with purchase rate λ makes no purchase in
 * (T, T+t] with probability e^{−λt}; alive, λ | data ~ Gamma(r+x, α+T); so
 * P = 1 − P(alive) + P(alive)·((α+T)/(α+T+t))^{r+x}, with P(alive) from the published formula);
 * the retention and upsell lists rank by that churn, not by 1 − P(alive).
 */
import { describe, expect, it } from 'vitest';
import { bgnbdChurn } from '../../src/core/evaluate/churn';
import { retentionList, upsellList, type Segment } from '../../src/core/eval/segments';

// BG/NBD on CDNOW_sample in weeks (Fader, Hardie and Lee 2005).
const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

function handChurn(t: number, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = params;
  const pAlive = x === 0 ? 1 : 1 / (1 + (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x));
  return 1 - pAlive + pAlive * ((alpha + T) / (alpha + T + t)) ** (r + x);
}

describe('churn = P(no purchase in the period)', () => {
  it('BG/NBD: matches the closed form on hand-picked customers, one-time buyers included', () => {
    const customers = [
      { x: 0, tx: 0, T: 38.86 },
      { x: 2, tx: 30.43, T: 38.86 },
      { x: 7, tx: 29.43, T: 35 },
      { x: 1, tx: 2, T: 39 },
    ];
    const data = { frequency: customers.map((c) => c.x), recency: customers.map((c) => c.tx), T: customers.map((c) => c.T), monetary: customers.map(() => 0) };
    const churn = bgnbdChurn(params, data, 39);
    customers.forEach((c, i) => expect(churn[i]).toBeCloseTo(handChurn(39, c.x, c.tx, c.T), 10));
    // A one-time buyer is alive for BG/NBD (1 − P(alive) = 0) but far from sure to buy again.
    expect(churn[0]).toBeGreaterThan(0.5);
  });

  it('the retention list ranks by the churn given, and keeps P(alive) as its own column', () => {
    const clv = [1000, 900];
    const pAlive = [1, 0.3];
    const churn = [0.9, 0.6];
    const segments: Segment[] = ['high', 'high'];
    const list = retentionList(clv, pAlive, segments, { limit: 10, churn });
    expect(list.map((c) => [c.index, c.churn_risk, c.p_alive])).toEqual([
      [0, 0.9, 1],
      [1, 0.6, 0.3],
    ]);
    // With 1 − P(alive) the one-time buyer would not be on the list at all.
    expect(retentionList(clv, pAlive, segments, { limit: 10 }).map((c) => c.index)).toEqual([1]);
  });

  it('the upsell list takes "clearly active" as a low churn', () => {
    const clv = [200, 300];
    const pAlive = [1, 1];
    const churn = [0.5, 0.1];
    const segments: Segment[] = ['medium', 'medium'];
    const list = upsellList(clv, pAlive, segments, { limit: 10, churn });
    expect(list.map((c) => c.index)).toEqual([1]);
    expect(list[0].score).toBeCloseTo(0.9 * 300, 10);
  });
});
