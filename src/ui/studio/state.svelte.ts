/**
 * What the page shows, shared by the studio's rooms and read by the components, and the calls the
 * rooms make on one another (`StudioRooms`). Studio (../studio.svelte.ts) holds this state and
 * hands each call to the room that owns it, so no room imports another.
 */
import type { BuildResult, Inspection, LoadResult } from '../../core/engine';
import type { ColumnMapping } from '../../core/mapping/roles';
import type { TimeUnit } from '../../core/tables/period';
import { DEFAULT_MODELS } from '../../core/evaluate/modelNames';
import { DEFAULT_MAX_EPOCHS } from '../../core/nets/trainingDefaults';
import type { BackendInfo, ForecastSummary, TrainProgress, TrainResult } from '../../../workers/contracts';
import type { LossPoint } from '../charts/lossCurves';
import type { DataWorker, UiError } from '../dataClient';
import type { ModelWorker } from '../modelClient';
import type { BundleScores, TrainSettings, WorkInProgress } from '../sessionStore';

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

/** The training settings of a fresh page: the CLI's defaults, so the same file gives the same models in both. */
export function defaultSettings(): TrainSettings {
  return { models: [...DEFAULT_MODELS], maxEpochs: DEFAULT_MAX_EPOCHS, seed: 42, backend: null };
}

/** The first step whose outcome is forgotten: a new file, a new load, new tables, or only the results. */
export type FlowStep = 'file' | 'load' | 'build' | 'results';

export class StudioState {
  /** The two workers; replaced (never reused) after a crash, a hang or a forced cancel. */
  data!: DataWorker;
  model!: ModelWorker;

  busy = $state<string | null>(null);
  error = $state<UiError | null>(null);
  /** What the Retry button beside the error does, after a worker stopped answering; null: no button. */
  retry = $state.raw<(() => Promise<void>) | null>(null);
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

  settings = $state<TrainSettings>(defaultSettings());
  backend = $state.raw<BackendInfo | null>(null);
  training = $state<TrainingRun | null>(null);
  result = $state.raw<TrainResult | null>(null);
  /** The last forecast of this page's run: exports, segments and action lists come from it while it is there. */
  forecast = $state.raw<ForecastSummary | null>(null);
  scores = $state.raw<BundleScores | null>(null);
  primaryModel = $state<string | null>(null);
  bundle = $state.raw<Uint8Array | null>(null);
  /** Bumped when the `predictions` table is rewritten. */
  predictionsVersion = $state(0);
  /** The model worker holds the trained nets (for explanations) only for a run of this page. */
  netsInMemory = $state(false);

  /** When the results on screen were last written to this browser's storage. */
  savedAt = $state<Date | null>(null);

  get hasPredictions(): boolean {
    return this.result !== null || this.scores !== null;
  }

  get canTrain(): boolean {
    return this.built !== null && this.built.features.targetColumns.length > 0 && this.busy === null && this.training === null;
  }
}

/** The calls one room makes on another, each answered by the room named. */
export interface StudioRooms {
  // dataFlow.svelte.ts
  run<T>(label: string, work: () => Promise<T>, cancellable?: boolean): Promise<T | null>;
  abandonRun(): void;
  clearFrom(step: FlowStep): void;
  buildTables(): Promise<boolean>;
  openFile(file: File): Promise<void>;
  // training.svelte.ts
  train(): Promise<void>;
  probeBackend(): Promise<void>;
  endTraining(): void;
  clearCancelTimer(): void;
  forgetBackendProbe(): void;
  // predictions.ts
  showResult(result: TrainResult, primary: string | null): Promise<void>;
  showScores(scores: BundleScores): Promise<boolean>;
  // sessionPersistence.ts
  persist(work: () => Promise<void>): Promise<void>;
  markWork(work: WorkInProgress, fileName?: string): Promise<void>;
  endWork(): Promise<void>;
  persistResult(settings: TrainSettings): Promise<void>;
  restore(options?: { afterCrash?: boolean }): Promise<void>;
  // workerLifecycle.ts
  whileOpening(file: File, open: () => Promise<void>): Promise<void>;
  watchFileSize(bytes: number): void;
  restartDataWorker(): void;
  restartModelWorker(): void;
  dataCrashed(): Promise<void>;
  modelCrashed(): void;
}

/** The studio as a room sees it: the shared state and the other rooms' calls. */
export type StudioHost = StudioState & StudioRooms;
