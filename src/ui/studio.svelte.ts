/**
 * The app's state and the steps of the flow, composed from rooms with one job each (./studio/):
 * the workers' lives (workerLifecycle), the file's way to the tables (dataFlow), a training run
 * (training), the predictions shown (predictions) and the session kept for a reload
 * (sessionPersistence). Components read the state (studio/state.svelte.ts) and call the methods
 * here; the heavy work always happens in the two workers.
 */
import type { ColumnMapping } from '../core/mapping/roles';
import type { CleaningOptions } from '../core/clean/staging';
import type { BackendName, TrainResult } from '../../workers/contracts';
import * as store from './sessionStore';
import type { BundleScores, TrainSettings } from './sessionStore';
import { STRINGS } from './strings';
import { DataFlow } from './studio/dataFlow.svelte';
import { Predictions } from './studio/predictions';
import { SessionPersistence } from './studio/sessionPersistence';
import { defaultSettings, StudioState, type FlowStep, type StudioRooms } from './studio/state.svelte';
import { Training } from './studio/training.svelte';
import { WorkerLifecycle } from './studio/workerLifecycle';

export type { Notice, TrainingRun } from './studio/state.svelte';

export class Studio extends StudioState implements StudioRooms {
  private readonly workers = new WorkerLifecycle(this);
  private readonly flow = new DataFlow(this);
  private readonly trainer = new Training(this);
  private readonly predictions = new Predictions(this);
  private readonly session = new SessionPersistence(this);

  constructor() {
    super();
    this.data = this.workers.startData();
    this.model = this.workers.startModel();
  }

  get canCancelData(): boolean {
    return this.flow.canCancelData;
  }

  // Steps of the flow, as the components call them.
  openFiles(files: File[]): Promise<void> {
    return this.flow.openFiles(files);
  }
  openFile(file: File): Promise<void> {
    return this.flow.openFile(file);
  }
  openSample(): Promise<void> {
    return this.flow.openSample();
  }
  confirmMapping(mapping: ColumnMapping, cleaning?: CleaningOptions): Promise<void> {
    return this.flow.confirmMapping(mapping, cleaning);
  }
  rebuild(): Promise<boolean> {
    return this.flow.rebuild();
  }
  cancelDataWork(): Promise<void> {
    return this.flow.cancelDataWork();
  }
  startOver(): void {
    this.flow.startOver();
  }
  probeBackend(): Promise<void> {
    return this.trainer.probeBackend();
  }
  setBackend(backend: BackendName | null): Promise<void> {
    return this.trainer.setBackend(backend);
  }
  train(): Promise<void> {
    return this.trainer.train();
  }
  cancel(): Promise<void> {
    return this.trainer.cancel();
  }
  choosePrimary(model: string): Promise<void> {
    return this.predictions.choosePrimary(model);
  }
  scoreWithBundle(file: File): Promise<void> {
    return this.predictions.scoreWithBundle(file);
  }
  restore(options?: { afterCrash?: boolean }): Promise<void> {
    return this.session.restore(options);
  }
  retryAfterHang(): Promise<void> {
    return this.workers.retryAfterHang();
  }

  /** One click: stops both workers, deletes the stored copy and results, and starts afresh. */
  async forget(): Promise<void> {
    this.trainer.clearCancelTimer();
    this.training = null;
    // An earlier notice ("Restored your session…") must not stand while the stored copy is deleted.
    this.notice = null;
    this.flow.abandonRun();
    this.workers.restartDataWorker();
    this.workers.restartModelWorker();
    this.flow.clearFrom('file');
    this.error = null;
    this.retry = null;
    this.busy = null;
    this.backend = null;
    this.settings = defaultSettings();
    this.tablesVersion++;
    await this.session.persist(() => store.forgetSession());
    this.notice = { text: STRINGS.forgotten };
  }

  // The rooms' calls on one another (StudioRooms), each handed to the room that owns it.
  run<T>(label: string, work: () => Promise<T>, cancellable?: boolean): Promise<T | null> {
    return this.flow.run(label, work, cancellable);
  }
  abandonRun(): void {
    this.flow.abandonRun();
  }
  clearFrom(step: FlowStep): void {
    this.flow.clearFrom(step);
  }
  buildTables(): Promise<boolean> {
    return this.flow.buildTables();
  }
  endTraining(): void {
    this.trainer.endTraining();
  }
  clearCancelTimer(): void {
    this.trainer.clearCancelTimer();
  }
  forgetBackendProbe(): void {
    this.trainer.forgetBackendProbe();
  }
  showResult(result: TrainResult, primary: string | null): Promise<void> {
    return this.predictions.showResult(result, primary);
  }
  showScores(scores: BundleScores): Promise<boolean> {
    return this.predictions.showScores(scores);
  }
  persist(work: () => Promise<void>): Promise<void> {
    return this.session.persist(work);
  }
  markWork(work: store.WorkInProgress, fileName?: string): Promise<void> {
    return this.session.markWork(work, fileName);
  }
  endWork(): Promise<void> {
    return this.session.endWork();
  }
  persistResult(settings: TrainSettings): Promise<void> {
    return this.session.persistResult(settings);
  }
  whileOpening(file: File, open: () => Promise<void>): Promise<void> {
    return this.workers.whileOpening(file, open);
  }
  watchFileSize(bytes: number): void {
    this.workers.watchFileSize(bytes);
  }
  restartDataWorker(): void {
    this.workers.restartDataWorker();
  }
  restartModelWorker(): void {
    this.workers.restartModelWorker();
  }
  dataCrashed(): Promise<void> {
    return this.workers.dataCrashed();
  }
  modelCrashed(): void {
    this.workers.modelCrashed();
  }
}
