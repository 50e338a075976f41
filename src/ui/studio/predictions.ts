/**
 * The predictions on the page: a run's results or a saved bundle's scores, written into DuckDB
 * (table `predictions`, which the results view queries) and shown; the model whose values are the
 * predicted CLV.
 */
import * as Comlink from 'comlink';
import { canBeBest } from '../../core/evaluate/bestModel';
import { bundleSequenceLayout } from '../../core/evaluate/bundleSequenceLayout';
import type { ModelName, PredictionColumns, TrainResult } from '../../../workers/contracts';
import * as store from '../sessionStore';
import type { BundleScores } from '../sessionStore';
import { STRINGS } from '../strings';
import { featureBuffers } from './inputBuffers';
import type { StudioHost } from './state.svelte';

/** What the page showed before a bundle scoring, put back if the scoring fails. */
interface ShownBefore {
  cutoff: string;
  horizonEnd: string;
  result: TrainResult | null;
  scores: BundleScores | null;
  primaryModel: string | null;
  bundle: Uint8Array | null;
  netsInMemory: boolean;
  savedAt: Date | null;
}

export class Predictions {
  constructor(private readonly studio: StudioHost) {}

  /**
   * Writes the predictions into DuckDB (table `predictions`) and then shows them: the results view
   * queries that table, so it appears once it is written (and loads its charts once, not twice).
   */
  async showResult(result: TrainResult, primary: string | null): Promise<void> {
    const s = this.studio;
    if (!primary) {
      s.result = result;
      s.primaryModel = primary;
      return;
    }
    const columns: PredictionColumns = {
      models: Object.fromEntries(Object.entries(result.predictions).filter((e): e is [string, Float32Array] => e[1] !== undefined)),
      primary,
      pAlive: result.pAlive,
      expectedPurchases: result.expectedPurchases,
      discountedClv: result.discountedClv,
      churn: result.churn ?? null,
      testIndices: result.testIndices,
      intervals: {
        clv: result.intervals?.[primary as ModelName]?.spend ?? null,
        purchases: result.intervals?.['bgnbd-gg']?.purchases ?? null,
        discountedClv: result.intervals?.['bgnbd-gg']?.discountedClv ?? null,
      },
    };
    const stored = await s.run(STRINGS.building, () => s.data.api.storePredictions(columns));
    s.result = result;
    s.primaryModel = primary;
    if (stored) s.predictionsVersion++;
  }

  async choosePrimary(model: string): Promise<void> {
    const s = this.studio;
    if (!s.result || model === s.primaryModel) return;
    const entry = s.result.metrics.find((m) => m.model === model);
    if (entry && !canBeBest(entry)) return;
    await this.showResult(s.result, model);
    void s.persist(() => store.updateSession({ primaryModel: model }));
  }

  /**
   * Step 8b: predictions from a saved bundle for the customers of the loaded file. The bundle is
   * checked completely first, so a bad file changes nothing; if scoring still fails later, the period
   * and the results that were on the page are put back. The stored session changes only on success.
   */
  async scoreWithBundle(file: File): Promise<void> {
    const s = this.studio;
    const lastDate = s.loaded?.quality.last_date;
    if (!lastDate || !s.built) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    const featureNames = [...s.built.features.featureColumns];
    const checked = await s.run(STRINGS.bundle.checking, () => s.model.api.checkBundle(bytes, featureNames));
    if (!checked) return;
    const before: ShownBefore = {
      cutoff: s.cutoff,
      horizonEnd: s.horizonEnd,
      result: s.result,
      scores: s.scores,
      primaryModel: s.primaryModel,
      bundle: s.bundle,
      netsInMemory: s.netsInMemory,
      savedAt: s.savedAt,
    };
    void s.markWork('scoring');
    s.cutoff = lastDate;
    s.horizonEnd = '';
    try {
      const scores = (await s.buildTables()) ? await this.bundleScores(file.name, bytes) : null;
      if (!scores) {
        await this.putBack(before);
        return;
      }
      const period = s.built!.period;
      const unit = s.built!.unit;
      await s.persist(() => store.updateSession({ period, unit, scores, result: null, bundle: null, primaryModel: 'bundle' }));
      if (s.scores === scores) s.savedAt = new Date();
    } finally {
      void s.endWork();
    }
  }

  /** Scores the built tables' customers with a checked bundle and shows the scores; null on failure. */
  private async bundleScores(bundleName: string, bytes: Uint8Array): Promise<BundleScores | null> {
    const s = this.studio;
    const values = await s.run(STRINGS.bundle.scoring, async () => {
      // An LSTM or CNN reads each customer's per-period purchases, cut with the bundle's layout.
      const layout = bundleSequenceLayout(bytes);
      const inputs = await s.data.api.trainingInputs(layout ?? false);
      // Read only to be scored: the arrays (features, n × periods × 2 sequence values) move to the
      // model worker instead of being copied. The bundle's bytes are not transferred: the page keeps them.
      // Probabilistic bundles and the parts of a composed one (ensemble, hybrid) score from the
      // purchase summaries, which trainingInputs gives beside the feature arrays.
      const data = { ...inputs.data, btyd: inputs.btyd, unit: inputs.unit };
      return s.model.api.predictWithBundle(bytes, Comlink.transfer(data, featureBuffers(inputs.data, inputs.sequences)), inputs.sequences);
    });
    if (!values) return null;
    const scores = { bundleName, values };
    return (await this.showScores(scores)) ? scores : null;
  }

  /** After a failed bundle scoring: the earlier period, tables and results again, the error kept. */
  private async putBack(before: ShownBefore): Promise<void> {
    const s = this.studio;
    const error = s.error;
    s.cutoff = before.cutoff;
    s.horizonEnd = before.horizonEnd;
    if (await s.buildTables()) {
      if (before.result) {
        await this.showResult(before.result, before.primaryModel);
        s.bundle = before.bundle;
        s.netsInMemory = before.netsInMemory;
      } else if (before.scores) {
        await this.showScores(before.scores);
      }
      s.savedAt = before.savedAt;
    }
    s.error = error ?? s.error;
  }

  async showScores(scores: BundleScores): Promise<boolean> {
    const s = this.studio;
    const columns: PredictionColumns = {
      models: { bundle: scores.values },
      primary: 'bundle',
      pAlive: null,
      expectedPurchases: null,
      discountedClv: null,
      testIndices: null,
    };
    const stored = await s.run(STRINGS.bundle.scoring, () => s.data.api.storePredictions(columns));
    if (!stored) return false;
    s.scores = scores;
    s.primaryModel = 'bundle';
    s.predictionsVersion++;
    return true;
  }
}
