/**
 * One rule for "best": the app's ★ (pickPrimaryModel), the CLI's segments (bestValueModel) and the
 * bundle (bestBundleableModel) choose the same model, by normalized Gini unless another metric is
 * asked for. The metrics come from compareModels on made-up predictions whose order by Gini and by
 * RMSE disagree, and the expected winners are worked out here from the metrics themselves.
 */
import { describe, expect, it } from 'vitest';
import { bestModel, bestModelRule, pickPrimaryModel } from '../../src/core/evaluate/bestModel';
import { bestValueModel } from '../../src/core/evaluate/customerActions';
import type { EvaluationResult } from '../../src/core/evaluate/evaluateModels';
import { bestBundleableModel } from '../../src/core/evaluate/modelBundle';
import { compareModels } from '../../src/core/eval/compareModels';
import { Rng } from '../../src/core/random';

const n = 2000;
const rng = new Rng(11);
const spend = Float64Array.from({ length: n }, () => (rng.uniform() < 0.6 ? 0 : 60 * Math.exp(rng.normal())));
// fnn: the right order, but every prediction three times too high (good Gini, bad RMSE).
const fnn = spend.map((s) => 3 * s + 1);
// ziln: the right level on average, a poor order (bad Gini, better RMSE).
const mean = spend.reduce((a, b) => a + b, 0) / n;
const ziln = spend.map((s) => 0.3 * s + 0.7 * mean * rng.uniform(0, 2));
const visitante = spend.map((s) => s + 5);

function result(): EvaluationResult {
  const metrics = compareModels({ spend }, { fnn: { predicted: fnn }, ziln: { predicted: ziln }, visitante: { predicted: visitante } });
  return { metrics, predictions: { fnn, ziln, visitante }, nets: { fnn: {}, ziln: {} } } as unknown as EvaluationResult;
}

describe('the best-model rule', () => {
  it('ranks by normalized Gini by default, the same for the app, segments and bundles', () => {
    const r = result();
    const by = (model: string) => r.metrics.find((m) => m.model === model)!.regression;
    // The premise: Gini and RMSE disagree.
    expect(by('fnn').normalized_gini).toBeGreaterThan(by('ziln').normalized_gini);
    expect(by('ziln').rmse).toBeLessThan(by('fnn').rmse);
    expect(pickPrimaryModel(r)).toBe('fnn');
    expect(bestValueModel(r)).toBe('fnn');
    expect(bestBundleableModel(r)).toBe('fnn');
    // visitante ranks perfectly but predicts no spend: never the best.
    expect(by('visitante').normalized_gini).toBeGreaterThanOrEqual(by('fnn').normalized_gini);
  });

  it('follows the metric the user picks, lower-is-better for errors', () => {
    const r = result();
    expect(pickPrimaryModel(r, 'rmse')).toBe('ziln');
    expect(bestValueModel(r, 'rmse')).toBe('ziln');
    expect(bestBundleableModel(r, 'rmse')).toBe('ziln');
    expect(bestModel(r.metrics, () => true, 'mae')).toBe(r.metrics.filter((m) => m.model !== 'visitante').sort((a, b) => a.regression.mae - b.regression.mae)[0].model);
    expect(bestModelRule()).toMatch(/highest normalized Gini/);
    expect(bestModelRule('rmse')).toMatch(/lowest RMSE/);
  });
});
