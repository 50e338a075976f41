/**
 * The file's way through the data worker: open (sniff and guess the roles), load with the
 * confirmed mapping, build the tables for the period; the busy line, its engine steps and Cancel.
 */
import * as Comlink from 'comlink';
import type { EngineStep } from '../../core/engine';
import { isConfidentMapping, type ColumnMapping } from '../../core/mapping/roles';
import type { CleaningOptions } from '../../core/clean/staging';
import { asUiError, type UiError } from '../dataClient';
import { isFatalEngineError } from '../engineFailure';
import * as store from '../sessionStore';
import { STRINGS } from '../strings';
import type { FlowStep, StudioHost } from './state.svelte';

export class DataFlow {
  /** Cancels the data call in progress, when it may be cancelled (see run()). */
  private cancelData = $state<(() => void) | null>(null);
  /** Rejects the race of the call in progress (see run()), and which call that is. */
  private settleRun: ((reason: UiError) => void) | null = null;
  private runCount = 0;

  constructor(private readonly studio: StudioHost) {}

  /**
   * Runs one call with the busy line shown. `cancellable` (opening, loading and building a file)
   * offers Cancel: DuckDB runs blocking inside the data worker, so the only way to stop it is to end
   * the worker (cancelDataWork); the call then never answers, and the race below ends it instead.
   */
  async run<T>(label: string, work: () => Promise<T>, cancellable = false): Promise<T | null> {
    const s = this.studio;
    s.busy = label;
    s.error = null;
    s.retry = null;
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
        s.notice = { text: error.message, stoppedBy: 'restart' };
        return null;
      }
      if (error.code === 'SUPERSEDED') return null;
      if (isFatalEngineError(error)) {
        void s.dataCrashed();
        return null;
      }
      s.error = error;
      return null;
    } finally {
      if (runId === this.runCount) {
        s.busy = null;
        this.cancelData = null;
        this.settleRun = null;
      }
    }
  }

  /** Ends a call whose worker was ended or replaced (crash, forget): it will never answer by itself. */
  abandonRun(): void {
    this.settleRun?.({ code: 'SUPERSEDED', message: '' });
    this.settleRun = null;
    this.cancelData = null;
    // Its ending must not clear the busy line of whatever the caller starts next (a restore).
    this.runCount++;
  }

  get canCancelData(): boolean {
    return this.studio.busy !== null && this.cancelData !== null;
  }

  /**
   * Stops a load or build now: the data worker is ended and a fresh one started, the file is closed,
   * and the stored copy is forgotten so a reload does not start the same load again.
   */
  async cancelDataWork(): Promise<void> {
    const s = this.studio;
    const cancel = this.cancelData;
    if (!cancel) return;
    cancel();
    s.restartDataWorker();
    this.clearFrom('file');
    s.tablesVersion++;
    await s.persist(() => store.forgetSession());
  }

  /**
   * Shows the data engine's current step in the busy line (loads of large files take a while).
   * Called inside run()'s work, so it belongs to that run: steps arrive on their own message port,
   * and a late one of an earlier call must not change the line.
   */
  private stepListener(label: string) {
    const s = this.studio;
    const runId = this.runCount;
    const data = s.data;
    return Comlink.proxy((step: EngineStep) => {
      data.watchdog.alive();
      if (s.busy !== null && this.runCount === runId) s.busy = STRINGS.engineStep(label, STRINGS.engineSteps[step.step], step.index, step.total);
    });
  }

  clearFrom(step: FlowStep): void {
    const s = this.studio;
    if (step === 'file') {
      s.inspection = null;
      s.fileName = null;
      s.mapping = null;
      s.rejectedMapping = null;
    }
    if (step === 'file' || step === 'load') s.loaded = null;
    if (step !== 'results') s.built = null;
    // Predictions belong to the tables they were made from.
    if (s.result || s.scores) void s.data.api.dropPredictions().catch(() => undefined);
    s.result = null;
    s.forecast = null;
    s.scores = null;
    s.primaryModel = null;
    s.bundle = null;
    s.netsInMemory = false;
    s.savedAt = null;
  }

  /**
   * What was dropped or picked: one file is opened; several are refused, naming them, rather than
   * reading the first alone (twelve monthly exports read as one month would be a wrong answer).
   */
  async openFiles(files: File[]): Promise<void> {
    if (files.length === 1) return this.openFile(files[0]);
    // Whatever is open stays open: only the message is new.
    const s = this.studio;
    s.retry = null;
    s.error = { code: 'SEVERAL_FILES', message: STRINGS.severalFiles(files.map((f) => f.name)) };
  }

  /** Step 1: a dropped, picked or sample file. */
  async openFile(file: File): Promise<void> {
    const s = this.studio;
    this.clearFrom('file');
    s.notice = null;
    void s.markWork('load', file.name);
    try {
      await s.whileOpening(file, () => this.openAndLoad(file));
    } finally {
      void s.endWork();
    }
  }

  private async openAndLoad(file: File): Promise<void> {
    const s = this.studio;
    const inspection = await this.run(STRINGS.reading, () => s.data.api.open(file), true);
    if (!inspection) return;
    s.inspection = inspection;
    s.fileName = file.name;
    void s.persist(() => store.saveFile(file));
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
    const s = this.studio;
    void s.markWork('load');
    try {
      await this.loadAndBuild(mapping, cleaning);
    } finally {
      void s.endWork();
    }
  }

  private async loadAndBuild(mapping: ColumnMapping, cleaning?: CleaningOptions): Promise<void> {
    const s = this.studio;
    this.clearFrom('load');
    // Kept for the rejected-rows review: its fixes and "load anyway" start from the mapping tried.
    s.rejectedMapping = mapping;
    const loaded = await this.run(STRINGS.cleaning, () => s.data.api.load(mapping, cleaning, this.stepListener(STRINGS.cleaning)), true);
    if (!loaded) return;
    s.mapping = mapping;
    s.loaded = loaded;
    s.cutoff = loaded.period.cutoff;
    s.horizonEnd = loaded.period.horizonEnd ?? '';
    void s.persist(() => store.updateSession({ mapping, period: null, result: null, scores: null, bundle: null }));
    await this.buildAndSave();
  }

  /** Step 4: rfm, features and visitante for the chosen cutoff and horizon. */
  async rebuild(): Promise<boolean> {
    const s = this.studio;
    void s.markWork('build');
    try {
      return await this.buildAndSave();
    } finally {
      void s.endWork();
    }
  }

  /** Builds the tables and saves the period with them (earlier results no longer apply). */
  private async buildAndSave(): Promise<boolean> {
    const s = this.studio;
    if (!(await this.buildTables())) return false;
    const period = s.built!.period;
    void s.persist(() => store.updateSession({ period, unit: s.built!.unit, result: null, scores: null, bundle: null, primaryModel: null }));
    return true;
  }

  /** Builds the tables for the period on screen; the stored session is left as it was. */
  async buildTables(): Promise<boolean> {
    const s = this.studio;
    this.clearFrom('build');
    const period = { cutoff: s.cutoff, horizonEnd: s.horizonEnd || null };
    const unit = s.unit;
    const built = await this.run(STRINGS.building, () => s.data.api.build({ period, unit }, this.stepListener(STRINGS.building)), true);
    s.tablesVersion++;
    if (!built) return false;
    s.built = built;
    return true;
  }

  startOver(): void {
    const s = this.studio;
    this.clearFrom('file');
    s.error = null;
    s.notice = null;
  }
}
