/**
 * The two workers' lives: started with the page, replaced after a crash, a hang (their watchdogs)
 * or a forced cancel, and what the page says and offers (Retry) when that happens.
 */
import { dataQuietMs, startDataWorker, type DataWorker } from '../dataClient';
import { MODEL_QUIET_MS, startModelWorker, type ModelWorker } from '../modelClient';
import { WORKER_HUNG } from '../workerWatchdog';
import { STRINGS } from '../strings';
import type { StudioHost } from './state.svelte';

export class WorkerLifecycle {
  /** The file being opened (not yet kept in storage): a retry after a hang opens it again. */
  private openingFile: File | null = null;
  /** Size of the file open: the data engine's watchdog allows more silence for larger files. */
  private fileBytes = 0;
  private recovering = false;

  constructor(private readonly studio: StudioHost) {}

  startData(): DataWorker {
    return startDataWorker(() => void this.dataCrashed(), {
      quietMs: dataQuietMs(this.fileBytes),
      onHang: () => this.dataHung(),
      message: () => STRINGS.dataWorkerHung(Math.round(dataQuietMs(this.fileBytes) / 1000)),
    });
  }

  startModel(): ModelWorker {
    return startModelWorker(() => this.modelCrashed(), {
      onHang: () => this.modelHung(),
      message: () => STRINGS.modelWorkerHung(MODEL_QUIET_MS / 1000),
    });
  }

  restartDataWorker(): void {
    const s = this.studio;
    s.data.terminate();
    s.data = this.startData();
  }

  restartModelWorker(): void {
    const s = this.studio;
    s.model.terminate();
    s.model = this.startModel();
    s.netsInMemory = false;
    s.forgetBackendProbe();
  }

  modelCrashed(): void {
    const s = this.studio;
    s.clearCancelTimer();
    this.restartModelWorker();
    if (s.training) s.endTraining();
    s.error = { code: 'WORKER_CRASHED', message: STRINGS.modelWorkerRestarted };
  }

  watchFileSize(bytes: number): void {
    this.fileBytes = bytes;
    this.studio.data.watchdog.setQuietMs(dataQuietMs(bytes));
  }

  /** Opens `file` under watch: its size sets the data engine's patience, and a hang offers to open it again. */
  async whileOpening(file: File, open: () => Promise<void>): Promise<void> {
    this.watchFileSize(file.size);
    this.openingFile = file;
    try {
      await open();
    } finally {
      if (this.openingFile === file) this.openingFile = null;
    }
  }

  /** Runs what the Retry button offers (once), after a worker stopped answering. */
  async retryAfterHang(): Promise<void> {
    const s = this.studio;
    const retry = s.retry;
    s.retry = null;
    s.error = null;
    await retry?.();
  }

  /**
   * The data engine stopped answering (its watchdog saw no sign of life for too long): it is ended
   * and a fresh one started, like after a crash, but nothing is replayed by itself: the error offers
   * a retry (the file being opened again, or the kept session restored).
   */
  private dataHung(): void {
    const s = this.studio;
    const file = this.openingFile;
    this.openingFile = null;
    s.abandonRun();
    this.restartDataWorker();
    s.clearFrom('file');
    if (s.training) s.endTraining();
    s.busy = null;
    s.notice = null;
    s.tablesVersion++;
    s.error = { code: WORKER_HUNG, message: STRINGS.dataWorkerHung(Math.round(dataQuietMs(this.fileBytes) / 1000)) };
    s.retry = file ? () => s.openFile(file) : () => s.restore();
  }

  /** The model engine stopped answering: a fresh one; Retry runs the training (or the probe) again. */
  private modelHung(): void {
    const s = this.studio;
    const wasTraining = s.training !== null;
    s.clearCancelTimer();
    this.restartModelWorker();
    if (s.training) s.endTraining();
    s.error = { code: WORKER_HUNG, message: STRINGS.modelWorkerHung(MODEL_QUIET_MS / 1000) };
    s.retry = wasTraining ? () => s.train() : () => s.probeBackend();
  }

  /**
   * The data engine died: a fresh one reloads the kept file and mapping. If it dies again while
   * doing so (the file itself exhausts memory), the session is not replayed a second time.
   */
  async dataCrashed(): Promise<void> {
    const s = this.studio;
    const again = this.recovering;
    s.abandonRun();
    this.restartDataWorker();
    s.clearFrom('file');
    s.training = null;
    s.busy = null;
    if (again) {
      // The interrupted restore waits on the ended worker forever; this report replaces it.
      this.recovering = false;
      s.error = { code: 'WORKER_CRASHED', message: STRINGS.dataWorkerCrashedAgain };
      return;
    }
    this.recovering = true;
    try {
      await s.restore({ afterCrash: true });
    } finally {
      this.recovering = false;
    }
    s.error = { code: 'WORKER_CRASHED', message: STRINGS.dataWorkerRestarted };
  }
}
