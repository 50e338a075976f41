/**
 * The app's state and the steps of the flow: which file is open, what the workers built, the
 * training run and its results. Components read this state and call these methods; the heavy work
 * always happens in the two workers, and everything worth keeping is saved for a reload.
 */
import * as Comlink from 'comlink';
import type { BuildResult, EngineStep, Inspection, LoadResult } from '../core/engine';
import { isConfidentMapping, type ColumnMapping } from '../core/mapping/roles';
import type { CleaningOptions } from '../core/clean/staging';
import type { TimeUnit } from '../core/tables/period';
import { canBeBest, pickPrimaryModel } from '../core/evaluate/bestModel';
import { DEFAULT_MODELS, type ModelName } from '../core/evaluate/modelNames';
import type { BackendInfo, BackendName, PredictionColumns, TrainingInputs, TrainProgress, TrainResult } from '../../workers/contracts';
import type { LossPoint } from './charts/lossCurves';
import { asUiError, dataQuietMs, startDataWorker, type DataWorker, type UiError } from './dataClient';
import { isFatalEngineError } from './engineFailure';
import { MODEL_QUIET_MS, startModelWorker, type ModelWorker } from './modelClient';
import { WORKER_HUNG } from './workerWatchdog';
import * as store from './sessionStore';
import type { BundleScores, TrainSettings } from './sessionStore';
import { formatNumber } from './format';
import { STRINGS } from './strings';

export interface TrainingRun {
  startedAt: number;
  progress: TrainProgress | null;
  history: LossPoint[];
  cancelling: boolean;
}

/** Messages the app shows beside errors: restored sessions, finished or cancelled runs. */
export interface Notice {
  text: string;
  /** For a cancelled run: whether the worker stopped its own work or had to be ended. */
  stoppedBy?: 'worker' | 'restart';
  /** Shown where the action was (the Train panel, which takes focus), not at the top of the page. */
  place?: 'train';
}

const DEFAULT_SETTINGS: TrainSettings = { models: [...DEFAULT_MODELS], maxEpochs: 200, seed: 42, backend: null };
/** A cancelled run that has not stopped after this long is stopped by ending the worker. */
const CANCEL_GRACE_MS = 3000;
const LOSS_REDRAW_MS = 250;


export class Studio {
  data: DataWorker;
  model: ModelWorker;

  busy = $state<string | null>(null);
  /** Cancels the data call in progress, when it may be cancelled (see run()). */
  private cancelData = $state<(() => void) | null>(null);
  /** Rejects the race of the call in progress (see run()), and which call that is. */
  private settleRun: ((reason: UiError) => void) | null = null;
  private runCount = 0;
  error = $state<UiError | null>(null);
  /** What the Retry button beside the error does, after a worker stopped answering; null: no button. */
  retry = $state.raw<(() => Promise<void>) | null>(null);
  /** The file being opened (not yet kept in storage): a retry after a hang opens it again. */
  private openingFile: File | null = null;
  /** Size of the file open: the data engine's watchdog allows more silence for larger files. */
  private fileBytes = 0;
  notice = $state<Notice | null>(null);
  /** The last finished run's loss curves, kept for Results and the report after training ends. */
  lossHistory = $state.raw<LossPoint[]>([]);

  fileName = $state<string | null>(null);
  inspection = $state.raw<Inspection | null>(null);
  mapping = $state.raw<ColumnMapping | null>(null);
  /** The mapping of the last load attempt (the one a TOO_MANY_REJECTS error is about). */
  rejectedMapping = $state.raw<ColumnMapping | null>(null);
  loaded = $state.raw<LoadResult | null>(null);
  built = $state.raw<BuildResult | null>(null);
  cutoff = $state('');
  horizonEnd = $state('');
  unit = $state<TimeUnit>('day');
  /** Bumped whenever DuckDB's tables change, so views reload. */
  tablesVersion = $state(0);

  settings = $state<TrainSettings>({ ...DEFAULT_SETTINGS, models: [...DEFAULT_SETTINGS.models] });
  backend = $state.raw<BackendInfo | null>(null);
  training = $state<TrainingRun | null>(null);
  result = $state.raw<TrainResult | null>(null);
  scores = $state.raw<BundleScores | null>(null);
  primaryModel = $state<string | null>(null);
  bundle = $state.raw<Uint8Array | null>(null);
  /** Bumped when the `predictions` table is rewritten. */
  predictionsVersion = $state(0);
  /** The model worker holds the trained nets (for explanations) only for a run of this page. */
  netsInMemory = $state(false);

  /** When the results on screen were last written to this browser's storage. */
  savedAt = $state<Date | null>(null);

  /** Storage writes run one after another, so a slow file copy never overwrites a later update. */
  private saving: Promise<void> = Promise.resolve();
  private probing: Promise<void> | null = null;
  private recovering = false;
  private cancelTimer: ReturnType<typeof setTimeout> | null = null;
  private lossTimer: ReturnType<typeof setTimeout> | null = null;
  private pendingLoss: LossPoint[] = [];

  constructor() {
    this.data = this.startData();
    this.model = this.startModel();
  }

  get hasPredictions(): boolean {
    return this.result !== null || this.scores !== null;
  }

  get canTrain(): boolean {
    return this.built !== null && this.built.features.targetColumns.length > 0 && this.busy === null && this.training === null;
  }

  /**
   * Runs one call with the busy line shown. `cancellable` (opening, loading and building a file)
   * offers Cancel: DuckDB runs blocking inside the data worker, so the only way to stop it is to end
   * the worker (cancelDataWork); the call then never answers, and the race below ends it instead.
   */
  private async run<T>(label: string, work: () => Promise<T>, cancellable = false): Promise<T | null> {
    this.busy = label;
    this.error = null;
    this.retry = null;
    const runId = ++this.runCount;
    const cancelled = new Promise<never>((_, reject) => {
      this.settleRun = (reason) => reject(reason);
    });
    this.cancelData = cancellable ? () => this.settleRun?.({ code: 'CANCELLED', message: STRINGS.loadCancelled }) : null;
    try {
      return await Promise.race([work(), cancelled]);
    } catch (e) {
      const error = asUiError(e);
      if (error.code === 'CANCELLED') {
        this.notice = { text: error.message, stoppedBy: 'restart' };
        return null;
      }
      if (error.code === 'SUPERSEDED') return null;
      if (isFatalEngineError(error)) {
        void this.dataCrashed();
        return null;
      }
      this.error = error;
      return null;
    } finally {
      if (runId === this.runCount) {
        this.busy = null;
        this.cancelData = null;
        this.settleRun = null;
      }
    }
  }

  /** Ends a call whose worker was ended or replaced (crash, forget): it will never answer by itself. */
  private abandonRun(): void {
    this.settleRun?.({ code: 'SUPERSEDED', message: '' });
    this.settleRun = null;
    this.cancelData = null;
    // Its ending must not clear the busy line of whatever the caller starts next (a restore).
    this.runCount++;
  }

  get canCancelData(): boolean {
    return this.busy !== null && this.cancelData !== null;
  }

  /**
   * Stops a load or build now: the data worker is ended and a fresh one started, the file is closed,
   * and the stored copy is forgotten so a reload does not start the same load again.
   */
  async cancelDataWork(): Promise<void> {
    const cancel = this.cancelData;
    if (!cancel) return;
    cancel();
    this.restartDataWorker();
    this.clearFrom('file');
    this.tablesVersion++;
    await this.persist(() => store.forgetSession());
  }

  /**
   * Shows the data engine's current step in the busy line (loads of large files take a while).
   * Called inside run()'s work, so it belongs to that run: steps arrive on their own message port,
   * and a late one of an earlier call must not change the line.
   */
  private stepListener(label: string) {
    const runId = this.runCount;
    const data = this.data;
    return Comlink.proxy((step: EngineStep) => {
      data.watchdog.alive();
      if (this.busy !== null && this.runCount === runId) this.busy = STRINGS.engineStep(label, STRINGS.engineSteps[step.step], step.index, step.total);
    });
  }

  private persist(work: () => Promise<void>): Promise<void> {
    this.saving = this.saving.then(work).catch(() => undefined);
    return this.saving;
  }

  /**
   * Notes in this browser's storage that long work has started (queued after the writes before it),
   * so a reload in the middle of it can say what was cut short.
   */
  private markWork(work: store.WorkInProgress, fileName = this.fileName ?? ''): Promise<void> {
    const marker = { work, fileName, since: new Date().toISOString() };
    return this.persist(() => store.markWork(marker));
  }

  /** The long work ended (done, failed, cancelled or stopped by a crash): nothing to report on reload. */
  private endWork(): Promise<void> {
    return this.persist(() => store.markWork(null));
  }

  private endTraining(): void {
    this.training = null;
    void this.endWork();
  }

  private clearFrom(step: 'file' | 'load' | 'build' | 'results'): void {
    if (step === 'file') {
      this.inspection = null;
      this.fileName = null;
      this.mapping = null;
      this.rejectedMapping = null;
    }
    if (step === 'file' || step === 'load') this.loaded = null;
    if (step !== 'results') this.built = null;
    // Predictions belong to the tables they were made from.
    if (this.result || this.scores) void this.data.api.dropPredictions().catch(() => undefined);
    this.result = null;
    this.scores = null;
    this.primaryModel = null;
    this.bundle = null;
    this.netsInMemory = false;
    this.savedAt = null;
  }

  /** Step 1: a dropped, picked or sample file. */
  async openFile(file: File): Promise<void> {
    this.clearFrom('file');
    this.notice = null;
    void this.markWork('load', file.name);
    this.watchFileSize(file.size);
    this.openingFile = file;
    try {
      await this.openAndLoad(file);
    } finally {
      if (this.openingFile === file) this.openingFile = null;
      void this.endWork();
    }
  }

  private async openAndLoad(file: File): Promise<void> {
    const inspection = await this.run(STRINGS.reading, () => this.data.api.open(file), true);
    if (!inspection) return;
    this.inspection = inspection;
    this.fileName = file.name;
    void this.persist(() => store.saveFile(file));
    if (isConfidentMapping(inspection.mapping)) await this.confirmMapping(inspection.mapping);
  }

  async openSample(): Promise<void> {
    const blob = await this.run(STRINGS.reading, async () => {
      const response = await fetch(`${import.meta.env.BASE_URL}samples/cdnow_sample.txt`);
      if (!response.ok) throw { code: 'SAMPLE_MISSING', message: STRINGS.sampleMissing(response.status) };
      return response.blob();
    });
    if (blob) await this.openFile(new File([blob], 'cdnow_sample.txt', { type: 'text/plain' }));
  }

  /** Steps 2–3: clean with the confirmed mapping, then build the tables with the default period. */
  async confirmMapping(mapping: ColumnMapping, cleaning?: CleaningOptions): Promise<void> {
    void this.markWork('load');
    try {
      await this.loadAndBuild(mapping, cleaning);
    } finally {
      void this.endWork();
    }
  }

  private async loadAndBuild(mapping: ColumnMapping, cleaning?: CleaningOptions): Promise<void> {
    this.clearFrom('load');
    // Kept for the rejected-rows review: its fixes and "load anyway" start from the mapping tried.
    this.rejectedMapping = mapping;
    const loaded = await this.run(STRINGS.cleaning, () => this.data.api.load(mapping, cleaning, this.stepListener(STRINGS.cleaning)), true);
    if (!loaded) return;
    this.mapping = mapping;
    this.loaded = loaded;
    this.cutoff = loaded.period.cutoff;
    this.horizonEnd = loaded.period.horizonEnd ?? '';
    void this.persist(() => store.updateSession({ mapping, period: null, result: null, scores: null, bundle: null }));
    await this.buildAndSave();
  }

  /** Step 4: rfm, features and visitante for the chosen cutoff and horizon. */
  async rebuild(): Promise<boolean> {
    void this.markWork('build');
    try {
      return await this.buildAndSave();
    } finally {
      void this.endWork();
    }
  }

  /** Builds the tables and saves the period with them (earlier results no longer apply). */
  private async buildAndSave(): Promise<boolean> {
    if (!(await this.buildTables())) return false;
    const period = this.built!.period;
    void this.persist(() => store.updateSession({ period, unit: this.built!.unit, result: null, scores: null, bundle: null, primaryModel: null }));
    return true;
  }

  /** Builds the tables for the period on screen; the stored session is left as it was. */
  private async buildTables(): Promise<boolean> {
    this.clearFrom('build');
    const period = { cutoff: this.cutoff, horizonEnd: this.horizonEnd || null };
    const unit = this.unit;
    const built = await this.run(STRINGS.building, () => this.data.api.build({ period, unit }, this.stepListener(STRINGS.building)), true);
    this.tablesVersion++;
    if (!built) return false;
    this.built = built;
    return true;
  }

  /**
   * Asks the model worker which backend it would use (activating it). One probe at a time:
   * overlapping backend switches inside tfjs leave it half-initialised.
   */
  probeBackend(): Promise<void> {
    this.probing ??= (async () => {
      try {
        this.backend = await this.model.api.probeBackend(this.settings.backend ?? undefined);
      } catch (e) {
        this.error = asUiError(e);
      } finally {
        this.probing = null;
      }
    })();
    return this.probing;
  }

  async setBackend(backend: BackendName | null): Promise<void> {
    await this.probing;
    this.settings.backend = backend;
    this.backend = null;
    await this.probeBackend();
  }

  /** Step 6: train the chosen models in the model worker, with live progress. */
  async train(): Promise<void> {
    if (!this.canTrain) return;
    if (this.settings.models.length === 0) {
      this.error = { code: 'NO_MODELS', message: STRINGS.train.noModels };
      return;
    }
    this.error = null;
    this.notice = null;
    // The previous results stay on the page until new ones replace them (a cancelled retrain keeps them).
    this.netsInMemory = false;
    this.training = { startedAt: performance.now(), progress: null, history: [], cancelling: false };
    // The state proxy, not the plain object: identity checks below compare against what `training` returns.
    const run = this.training;
    const settings = $state.snapshot(this.settings) as TrainSettings;
    void this.markWork('training');
    let inputs: TrainingInputs;
    try {
      inputs = await this.data.api.trainingInputs();
    } catch (e) {
      if (this.training !== run) return;
      this.endTraining();
      const error = asUiError(e);
      if (isFatalEngineError(error)) void this.dataCrashed();
      else this.error = error;
      return;
    }
    try {
      await this.probing;
      if (this.training !== run) return;
      const result = await this.trainOn(inputs, settings, (p) => this.onProgress(run, p));
      if (this.training !== run) return;
      this.endTraining();
      this.scores = null;
      this.lossHistory = run.history;
      await this.showResult(result, pickPrimaryModel(result));
      this.netsInMemory = true;
      this.notice = { text: STRINGS.train.done(formatNumber(Math.round((performance.now() - run.startedAt) / 100) / 10)), place: 'train' };
      await this.persistResult(settings);
    } catch (e) {
      if (this.training !== run) return;
      this.endTraining();
      const error = asUiError(e);
      if (error.code === 'CANCELLED') this.notice = { text: this.result ? STRINGS.train.cancelledKept : STRINGS.train.cancelled, stoppedBy: 'worker', place: 'train' };
      // Out of memory or a wasm trap leaves tfjs's backend unusable: a fresh model worker, as after a crash.
      else if (isFatalEngineError(error)) this.modelCrashed();
      else this.error = error;
    } finally {
      this.clearCancelTimer();
    }
  }

  private trainOn(inputs: TrainingInputs, settings: TrainSettings, onProgress: (p: TrainProgress) => void): Promise<TrainResult> {
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
      cutoff: this.built?.period.cutoff,
    };
    const buffers = [inputs.data.features, inputs.data.targets, inputs.btyd.frequency, inputs.btyd.recency, inputs.btyd.T, inputs.btyd.monetary, inputs.visitanteScore].map(
      (a) => a.buffer as ArrayBuffer,
    );
    return this.model.api.train(Comlink.transfer(request, buffers), Comlink.proxy(onProgress));
  }

  private onProgress(run: TrainingRun, p: TrainProgress): void {
    this.model.watchdog.alive();
    if (this.training !== run || run.cancelling) return;
    run.progress = p;
    if (p.loss === null && p.valLoss === null) return;
    // Loss points are batched so the live chart redraws a few times a second, not per epoch.
    this.pendingLoss.push({ model: p.model, epoch: p.epoch, loss: p.loss, valLoss: p.valLoss });
    this.lossTimer ??= setTimeout(() => {
      this.lossTimer = null;
      if (this.training === run) run.history = [...run.history, ...this.pendingLoss];
      this.pendingLoss = [];
    }, LOSS_REDRAW_MS);
  }

  /**
   * Asks the worker to stop between batches; if it has not stopped shortly after, the worker is
   * ended and a fresh one started, so a cancelled run never keeps the CPU busy.
   */
  async cancel(): Promise<void> {
    const run = this.training;
    if (!run || run.cancelling) return;
    run.cancelling = true;
    this.cancelTimer = setTimeout(() => {
      if (this.training !== run) return;
      this.restartModelWorker();
      this.endTraining();
      this.notice = { text: STRINGS.train.cancelledByRestart, stoppedBy: 'restart' };
    }, CANCEL_GRACE_MS);
    try {
      await this.model.api.cancel();
    } catch {
      // The watchdog above ends the worker if the message cannot get through.
    }
  }

  private clearCancelTimer(): void {
    if (this.cancelTimer) clearTimeout(this.cancelTimer);
    this.cancelTimer = null;
  }

  /**
   * Writes the predictions into DuckDB (table `predictions`) and then shows them: the results view
   * queries that table, so it appears once it is written (and loads its charts once, not twice).
   */
  private async showResult(result: TrainResult, primary: string | null): Promise<void> {
    if (!primary) {
      this.result = result;
      this.primaryModel = primary;
      return;
    }
    const columns: PredictionColumns = {
      models: Object.fromEntries(Object.entries(result.predictions).filter((e): e is [string, Float32Array] => e[1] !== undefined)),
      primary,
      pAlive: result.pAlive,
      expectedPurchases: result.expectedPurchases,
      discountedClv: result.discountedClv,
      testIndices: result.testIndices,
    };
    const stored = await this.run(STRINGS.building, () => this.data.api.storePredictions(columns));
    this.result = result;
    this.primaryModel = primary;
    if (stored) this.predictionsVersion++;
  }

  async choosePrimary(model: string): Promise<void> {
    if (!this.result || model === this.primaryModel) return;
    const entry = this.result.metrics.find((m) => m.model === model);
    if (entry && !canBeBest(entry)) return;
    await this.showResult(this.result, model);
    void this.persist(() => store.updateSession({ primaryModel: model }));
  }

  /** Saves the run (results first, the bundle after), so a reload shows it again. */
  private async persistResult(settings: TrainSettings): Promise<void> {
    const result = this.result;
    await this.persist(() => store.updateSession({ settings, result, primaryModel: this.primaryModel, bundle: null, scores: null }));
    let bundle: Uint8Array | null = null;
    if (result?.bestNet) bundle = await this.model.api.exportBundle().catch(() => null);
    if (this.result !== result) return;
    this.bundle = bundle;
    await this.persist(() => store.updateSession({ bundle }));
    if (this.result === result) this.savedAt = new Date();
  }

  /**
   * Step 8b: predictions from a saved bundle for the customers of the loaded file. The bundle is
   * checked completely first, so a bad file changes nothing; if scoring still fails later, the period
   * and the results that were on the page are put back. The stored session changes only on success.
   */
  async scoreWithBundle(file: File): Promise<void> {
    const lastDate = this.loaded?.quality.last_date;
    if (!lastDate || !this.built) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    const featureNames = [...this.built.features.featureColumns];
    const checked = await this.run(STRINGS.bundle.checking, () => this.model.api.checkBundle(bytes, featureNames));
    if (!checked) return;
    const before = {
      cutoff: this.cutoff,
      horizonEnd: this.horizonEnd,
      result: this.result,
      scores: this.scores,
      primaryModel: this.primaryModel,
      bundle: this.bundle,
      netsInMemory: this.netsInMemory,
      savedAt: this.savedAt,
    };
    void this.markWork('scoring');
    this.cutoff = lastDate;
    this.horizonEnd = '';
    try {
      const scores = (await this.buildTables()) ? await this.bundleScores(file.name, bytes) : null;
      if (!scores) {
        await this.putBack(before);
        return;
      }
      const period = this.built!.period;
      const unit = this.built!.unit;
      await this.persist(() => store.updateSession({ period, unit, scores, result: null, bundle: null, primaryModel: 'bundle' }));
      if (this.scores === scores) this.savedAt = new Date();
    } finally {
      void this.endWork();
    }
  }

  /** Scores the built tables' customers with a checked bundle and shows the scores; null on failure. */
  private async bundleScores(bundleName: string, bytes: Uint8Array): Promise<BundleScores | null> {
    const values = await this.run(STRINGS.bundle.scoring, async () => {
      const inputs = await this.data.api.trainingInputs();
      return this.model.api.predictWithBundle(bytes, inputs.data);
    });
    if (!values) return null;
    const scores = { bundleName, values };
    return (await this.showScores(scores)) ? scores : null;
  }

  /** After a failed bundle scoring: the earlier period, tables and results again, the error kept. */
  private async putBack(before: {
    cutoff: string;
    horizonEnd: string;
    result: TrainResult | null;
    scores: BundleScores | null;
    primaryModel: string | null;
    bundle: Uint8Array | null;
    netsInMemory: boolean;
    savedAt: Date | null;
  }): Promise<void> {
    const error = this.error;
    this.cutoff = before.cutoff;
    this.horizonEnd = before.horizonEnd;
    if (await this.buildTables()) {
      if (before.result) {
        await this.showResult(before.result, before.primaryModel);
        this.bundle = before.bundle;
        this.netsInMemory = before.netsInMemory;
      } else if (before.scores) {
        await this.showScores(before.scores);
      }
      this.savedAt = before.savedAt;
    }
    this.error = error ?? this.error;
  }

  private async showScores(scores: BundleScores): Promise<boolean> {
    const columns: PredictionColumns = {
      models: { bundle: scores.values },
      primary: 'bundle',
      pAlive: null,
      expectedPurchases: null,
      discountedClv: null,
      testIndices: null,
    };
    const stored = await this.run(STRINGS.bundle.scoring, () => this.data.api.storePredictions(columns));
    if (!stored) return false;
    this.scores = scores;
    this.primaryModel = 'bundle';
    this.predictionsVersion++;
    return true;
  }

  /**
   * Brings back the last session: the file copy, mapping, period and results. Work that a reload
   * cut short (a load, a build, a training, a scoring) is named in the notice; after a crash the
   * crash report says what happened instead.
   */
  async restore(options: { afterCrash?: boolean } = {}): Promise<void> {
    let session: store.SavedSession | null;
    try {
      session = await store.loadSession();
    } catch {
      return;
    }
    let work: store.WorkMarker | null = null;
    try {
      work = await store.loadWork();
    } catch {
      work = null;
    }
    if (work) void this.endWork();
    // After a crash the crash report says what happened; a reload is named only after a reload.
    const cutShort = options.afterCrash ? null : work;
    if (!session) {
      if (cutShort) this.notice = { text: STRINGS.interruptedBeforeKept(cutShort.fileName) };
      return;
    }
    this.busy = STRINGS.restoring;
    try {
      const file = await store.loadSessionFile(session);
      if (!file) throw new Error('file missing');
      this.watchFileSize(file.size);
      const inspection = await this.data.api.open(file);
      this.inspection = inspection;
      this.fileName = session.fileName;
      if (session.settings) this.settings = session.settings;
      if (session.mapping) {
        this.loaded = await this.data.api.load(session.mapping);
        this.mapping = session.mapping;
        const period = session.period ?? this.loaded.period;
        this.cutoff = period.cutoff;
        this.horizonEnd = period.horizonEnd ?? '';
        this.unit = session.unit;
        this.built = await this.data.api.build({ period, unit: session.unit });
        this.tablesVersion++;
        if (session.result || session.scores) await this.data.api.trainingInputs();
      }
      this.busy = null;
      if (session.result) {
        this.bundle = session.bundle;
        await this.showResult(session.result, session.primaryModel ?? pickPrimaryModel(session.result));
      } else if (session.scores) {
        await this.showScores(session.scores);
      }
      if (session.result || session.scores) this.savedAt = new Date(session.savedAt);
      const said = !cutShort ? '' : cutShort.fileName === session.fileName ? STRINGS.interrupted[cutShort.work] : STRINGS.interruptedBeforeKept(cutShort.fileName);
      this.notice = { text: said ? `${STRINGS.restored(session.fileName)} ${said}` : STRINGS.restored(session.fileName) };
    } catch (e) {
      // A hang was reported (with its retry) when it was noticed.
      if (asUiError(e).code === WORKER_HUNG) return;
      this.error = { code: 'RESTORE_FAILED', message: `${STRINGS.restoreFailed} (${asUiError(e).message})` };
    } finally {
      this.busy = null;
    }
  }

  /** One click: stops both workers, deletes the stored copy and results, and starts afresh. */
  async forget(): Promise<void> {
    this.clearCancelTimer();
    this.training = null;
    // An earlier notice ("Restored your session…") must not stand while the stored copy is deleted.
    this.notice = null;
    this.abandonRun();
    this.restartDataWorker();
    this.restartModelWorker();
    this.clearFrom('file');
    this.error = null;
    this.retry = null;
    this.busy = null;
    this.backend = null;
    this.settings = { ...DEFAULT_SETTINGS, models: [...DEFAULT_SETTINGS.models] };
    this.tablesVersion++;
    await this.persist(() => store.forgetSession());
    this.notice = { text: STRINGS.forgotten };
  }

  startOver(): void {
    this.clearFrom('file');
    this.error = null;
    this.notice = null;
  }

  private startData(): DataWorker {
    return startDataWorker(() => void this.dataCrashed(), {
      quietMs: dataQuietMs(this.fileBytes),
      onHang: () => this.dataHung(),
      message: () => STRINGS.dataWorkerHung(Math.round(dataQuietMs(this.fileBytes) / 1000)),
    });
  }

  private startModel(): ModelWorker {
    return startModelWorker(() => this.modelCrashed(), {
      onHang: () => this.modelHung(),
      message: () => STRINGS.modelWorkerHung(MODEL_QUIET_MS / 1000),
    });
  }

  private restartDataWorker(): void {
    this.data.terminate();
    this.data = this.startData();
  }

  private restartModelWorker(): void {
    this.model.terminate();
    this.model = this.startModel();
    this.netsInMemory = false;
    this.probing = null;
  }

  private modelCrashed(): void {
    this.clearCancelTimer();
    this.restartModelWorker();
    if (this.training) this.endTraining();
    this.error = { code: 'WORKER_CRASHED', message: STRINGS.modelWorkerRestarted };
  }

  private watchFileSize(bytes: number): void {
    this.fileBytes = bytes;
    this.data.watchdog.setQuietMs(dataQuietMs(bytes));
  }

  /** Runs what the Retry button offers (once), after a worker stopped answering. */
  async retryAfterHang(): Promise<void> {
    const retry = this.retry;
    this.retry = null;
    this.error = null;
    await retry?.();
  }

  /**
   * The data engine stopped answering (its watchdog saw no sign of life for too long): it is ended
   * and a fresh one started, like after a crash, but nothing is replayed by itself: the error offers
   * a retry (the file being opened again, or the kept session restored).
   */
  private dataHung(): void {
    const file = this.openingFile;
    this.openingFile = null;
    this.abandonRun();
    this.restartDataWorker();
    this.clearFrom('file');
    if (this.training) this.endTraining();
    this.busy = null;
    this.notice = null;
    this.tablesVersion++;
    this.error = { code: WORKER_HUNG, message: STRINGS.dataWorkerHung(Math.round(dataQuietMs(this.fileBytes) / 1000)) };
    this.retry = file ? () => this.openFile(file) : () => this.restore();
  }

  /** The model engine stopped answering: a fresh one; Retry runs the training (or the probe) again. */
  private modelHung(): void {
    const wasTraining = this.training !== null;
    this.clearCancelTimer();
    this.restartModelWorker();
    if (this.training) this.endTraining();
    this.error = { code: WORKER_HUNG, message: STRINGS.modelWorkerHung(MODEL_QUIET_MS / 1000) };
    this.retry = wasTraining ? () => this.train() : () => this.probeBackend();
  }

  /**
   * The data engine died: a fresh one reloads the kept file and mapping. If it dies again while
   * doing so (the file itself exhausts memory), the session is not replayed a second time.
   */
  private async dataCrashed(): Promise<void> {
    const again = this.recovering;
    this.abandonRun();
    this.restartDataWorker();
    this.clearFrom('file');
    this.training = null;
    this.busy = null;
    if (again) {
      // The interrupted restore waits on the ended worker forever; this report replaces it.
      this.recovering = false;
      this.error = { code: 'WORKER_CRASHED', message: STRINGS.dataWorkerCrashedAgain };
      return;
    }
    this.recovering = true;
    try {
      await this.restore({ afterCrash: true });
    } finally {
      this.recovering = false;
    }
    this.error = { code: 'WORKER_CRASHED', message: STRINGS.dataWorkerRestarted };
  }
}
