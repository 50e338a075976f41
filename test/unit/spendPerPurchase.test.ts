import { describe, expect, it } from 'vitest';
import { fitSpendPerPurchase, predictSpendPerPurchase } from '../../src/core/models/spendPerPurchase';
import { Rng } from '../../src/core/random';

/** Customers whose order value is exp(m) with m = 3 + 0.8·z (z observed) plus order noise. */
function customers(n: number, seed: number) {
  const rng = new Rng(seed);
  const normal = () => rng.normal();
  const X = new Float32Array(n * 2);
  const spend = new Float64Array(n);
  const orders = new Float64Array(n);
  const truth = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const z = normal();
    X[2 * i] = Math.exp(3 + 0.8 * z); // a past order value: informative
    X[2 * i + 1] = rng.uniform() * 10; // noise
    truth[i] = Math.exp(3 + 0.8 * z + 0.5 * 0.3 * 0.3);
    orders[i] = rng.uniform() < 0.4 ? 0 : 1 + Math.floor(rng.uniform() * 4);
    for (let k = 0; k < orders[i]; k++) spend[i] += Math.exp(3 + 0.8 * z + 0.3 * normal());
  }
  return { X, spend, orders, truth };
}

describe('learned spend per purchase', () => {
  it('learns order values from the horizon buyers and predicts them for everyone, reproducibly', () => {
    const train = customers(1500, 1);
    const rows = Int32Array.from({ length: 1500 }, (_, i) => i);
    const model = fitSpendPerPurchase(train.X, 2, train.spend, train.orders, rows, 7)!;
    expect(model).not.toBeNull();
    const again = fitSpendPerPurchase(train.X, 2, train.spend, train.orders, rows, 7)!;
    expect(Array.from(again.beta)).toEqual(Array.from(model.beta));
    const test = customers(500, 2);
    const predicted = predictSpendPerPurchase(model, test.X);
    let relError = 0;
    let constantError = 0;
    const mean = test.truth.reduce((s, v) => s + v, 0) / test.truth.length;
    for (let i = 0; i < 500; i++) {
      relError += Math.abs(predicted[i] - test.truth[i]) / test.truth[i];
      constantError += Math.abs(mean - test.truth[i]) / test.truth[i];
    }
    // Far closer to each customer's true order value than the population mean is.
    expect(relError / 500).toBeLessThan(0.15);
    expect(relError).toBeLessThan(0.3 * constantError);
  });

  it('returns null without enough buyers', () => {
    const { X, spend, orders } = customers(30, 3);
    expect(fitSpendPerPurchase(X, 2, spend, new Float64Array(orders.length), Int32Array.from({ length: 30 }, (_, i) => i), 1)).toBeNull();
    expect(fitSpendPerPurchase(X, 2, spend, orders, Int32Array.from([0, 1, 2]), 1)).toBeNull();
  });
});
