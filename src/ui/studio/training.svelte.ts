/**
 * A training run in the model worker: the backend it runs on, the run with live progress and loss
 * curves, and Cancel (between batches, or by ending the worker when it does not stop in time).
 */
import * as Comlink from 'comlink';
import { pickPrimaryModel } from '../../core/evaluate/bestModel';
import { usesSequences } from '../../core/evaluate/modelAvailability';
import type { BackendName, TrainingInputs, TrainProgress, TrainResult } from '../../../workers/contracts';
import { asUiError } from '../dataClient';
import { isFatalEngineError } from '../engineFailure';
import type { TrainSettings } from '../sessionStore';
import { formatNumber } from '../format';
import { STRINGS } from '../strings';
import type { LossPoint } from '../charts/lossCurves';
import type { StudioHost, TrainingRun } from './state.svelte';

/** A cancelled run that has not stopped after this long is stopped by ending the worker. */
const CANCEL_GRACE_MS = 3000;
const LOSS_REDRAW_MS = 250;

export class Training {
  private probing: Promise<void> | null = null;
  private cancelTimer: ReturnType<typeof setTimeout> | null = null;
  private lossTimer: ReturnType<typeof setTimeout> | null = null;
  private pendingLoss: LossPoint[] = [];

  constructor(private readonly studio: StudioHost) {}

  /**
   * Asks the model worker which backend it would use (activating it). One probe at a time:
   * overlapping backend switches inside tfjs leave it half-initialised.
   */
  probeBackend(): Promise<void> {
    const s = this.studio;
    this.probing ??= (async () => {
      try {
        s.backend = await s.model.api.probeBackend(s.settings.backend ?? undefined);
      } catch (e) {
        s.error = asUiError(e);
      } finally {
        this.probing = null;
      }
    })();
    return this.probing;
  }

  /** A new model worker knows no backend yet. */
  forgetBackendProbe(): void {
    this.probing = null;
  }

  async setBackend(backend: BackendName | null): Promise<void> {
    const s = this.studio;
    await this.probing;
    s.settings.backend = backend;
    s.backend = null;
    await this.probeBackend();
  }

  /** Step 6: train the chosen models in the model worker, with live progress. */
  async train(): Promise<void> {
    const s = this.studio;
    if (!s.canTrain) return;
    if (s.settings.models.length === 0) {
      s.error = { code: 'NO_MODELS', message: STRINGS.train.noModels };
      return;
    }
    s.error = null;
    s.notice = null;
    // The previous results stay on the page until new ones replace them (a cancelled retrain keeps them).
    s.training = { startedAt: performance.now(), progress: null, history: [], cancelling: false };
    s.forecast = null;
    // The state proxy, not the plain object: identity checks below compare against what `training` returns.
    const run = s.training;
    const settings = $state.snapshot(s.settings) as TrainSettings;
    void s.markWork('training');
    let inputs: TrainingInputs;
    try {
      // The sequence nets read per-period purchase sequences, built by the data worker only when asked for.
      inputs = await s.data.api.trainingInputs(settings.models.some(usesSequences));
    } catch (e) {
      if (s.training !== run) return;
      this.endTraining();
      const error = asUiError(e);
      if (isFatalEngineError(error)) void s.dataCrashed();
      else s.error = error;
      return;
    }
    try {
      await this.probing;
      if (s.training !== run) return;
      const result = await this.trainOn(inputs, settings, (p) => this.onProgress(run, p));
      if (s.training !== run) return;
      this.endTraining();
      s.scores = null;
      s.lossHistory = run.history;
      await s.showResult(result, pickPrimaryModel(result));
      s.netsInMemory = true;
      s.notice = { text: STRINGS.train.done(formatNumber(Math.round((performance.now() - run.startedAt) / 100) / 10)), place: 'train' };
      await s.persistResult(settings);
    } catch (e) {
      if (s.training !== run) return;
      this.endTraining();
      const error = asUiError(e);
      if (error.code === 'CANCELLED') s.notice = { text: s.result ? STRINGS.train.cancelledKept : STRINGS.train.cancelled, stoppedBy: 'worker', place: 'train' };
      // Out of memory or a wasm trap leaves tfjs's backend unusable: a fresh model worker, as after a crash.
      else if (isFatalEngineError(error)) s.modelCrashed();
      else s.error = error;
    } finally {
      this.clearCancelTimer();
    }
  }

  private trainOn(inputs: TrainingInputs, settings: TrainSettings, onProgress: (p: TrainProgress) => void): Promise<TrainResult> {
    const s = this.studio;
    if (inputs.horizonDays === null) throw { code: 'BAD_PERIOD', message: STRINGS.train.needsHorizon };
    const request = {
      data: inputs.data,
      btyd: inputs.btyd,
      visitanteScore: inputs.visitanteScore,
      horizonDays: inputs.horizonDays,
      unit: inputs.unit,
      models: settings.models,
      seed: settings.seed,
      maxEpochs: settings.maxEpochs,
      backend: settings.backend ?? undefined,
      // Recorded in the exported bundle: predictions from it are for this calibration cutoff.
      cutoff: s.built?.period.cutoff,
      sequences: inputs.sequences ?? null,
    };
    const buffers = [inputs.data.features, inputs.data.targets, inputs.btyd.frequency, inputs.btyd.recency, inputs.btyd.T, inputs.btyd.monetary, inputs.visitanteScore, ...(inputs.sequences ? [inputs.sequences.values] : [])].map(
      (a) => a.buffer as ArrayBuffer,
    );
    return s.model.api.train(Comlink.transfer(request, buffers), Comlink.proxy(onProgress));
  }

  private onProgress(run: TrainingRun, p: TrainProgress): void {
    const s = this.studio;
    s.model.watchdog.alive();
    if (s.training !== run || run.cancelling) return;
    run.progress = p;
    if (p.loss === null && p.valLoss === null) return;
    // Loss points are batched so the live chart redraws a few times a second, not per epoch.
    this.pendingLoss.push({ model: p.model, ...(p.fold !== undefined && { fold: p.fold }), epoch: p.epoch, loss: p.loss, valLoss: p.valLoss });
    this.lossTimer ??= setTimeout(() => {
      this.lossTimer = null;
      if (s.training === run) run.history = [...run.history, ...this.pendingLoss];
      this.pendingLoss = [];
    }, LOSS_REDRAW_MS);
  }

  /**
   * Asks the worker to stop between batches; if it has not stopped shortly after, the worker is
   * ended and a fresh one started, so a cancelled run never keeps the CPU busy.
   */
  async cancel(): Promise<void> {
    const s = this.studio;
    const run = s.training;
    if (!run || run.cancelling) return;
    run.cancelling = true;
    this.cancelTimer = setTimeout(() => {
      if (s.training !== run) return;
      s.restartModelWorker();
      this.endTraining();
      s.notice = { text: STRINGS.train.cancelledByRestart, stoppedBy: 'restart' };
    }, CANCEL_GRACE_MS);
    try {
      await s.model.api.cancel();
    } catch {
      // The watchdog above ends the worker if the message cannot get through.
    }
  }

  clearCancelTimer(): void {
    if (this.cancelTimer) clearTimeout(this.cancelTimer);
    this.cancelTimer = null;
  }

  endTraining(): void {
    this.studio.training = null;
    void this.studio.endWork();
  }
}
