/**
 * One rule for "best": the app's ★ (pickPrimaryModel), the CLI's segments (bestValueModel) and the
 * bundle (bestBundleableModel) choose the same model: the stacked ensemble when it ran (named in
 * advance), otherwise by normalized Gini, and by the metric asked for when one is. The metrics come from compareModels on made-up predictions whose order by Gini and by
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

  describe('the stacked ensemble, named in advance', () => {
    // The ensemble ranks worse than fnn here (a blend with ziln's poor order), so a rule that looked
    // at the test scores would not pick it.
    const ensemble = spend.map((s, i) => 0.5 * fnn[i] / 3 + 0.5 * ziln[i]);
    function withEnsemble(predicted: Float64Array = ensemble): EvaluationResult {
      const metrics = compareModels({ spend }, { fnn: { predicted: fnn }, ziln: { predicted: ziln }, ensemble: { predicted } });
      return { metrics, predictions: { fnn, ziln, ensemble: predicted }, nets: { fnn: {}, ziln: {} } } as unknown as EvaluationResult;
    }

    it('is put forward by the default rule whatever its test scores, by the app, segments and bundles alike', () => {
      const r = withEnsemble();
      const gini = (model: string) => r.metrics.find((m) => m.model === model)!.regression.normalized_gini;
      expect(gini('ensemble')).toBeLessThan(gini('fnn'));
      expect(pickPrimaryModel(r)).toBe('ensemble');
      expect(bestValueModel(r)).toBe('ensemble');
      expect(bestModelRule()).toMatch(/stacked ensemble when it ran/);
      // The bundle picker among single nets is not about the ensemble.
      expect(bestBundleableModel(r)).toBe('fnn');
    });

    it('a metric asked for ranks every model by it, the ensemble included', () => {
      const r = withEnsemble();
      expect(pickPrimaryModel(r, 'normalized_gini')).toBe('fnn');
      expect(bestValueModel(r, 'rmse')).toBe(r.metrics.slice().sort((a, b) => a.regression.rmse - b.regression.rmse)[0].model);
      expect(bestModelRule('normalized_gini')).not.toMatch(/ensemble/);
    });

    it('is passed over when its comparison is degenerate or it has no predictions', () => {
      const constant = withEnsemble(new Float64Array(n).fill(5));
      expect(constant.metrics.find((m) => m.model === 'ensemble')!.degenerate).toBeTruthy();
      expect(pickPrimaryModel(constant)).toBe('fnn');
      const r = withEnsemble();
      delete (r.predictions as Record<string, unknown>).ensemble;
      expect(pickPrimaryModel(r)).toBe('fnn');
    });
  });
});
