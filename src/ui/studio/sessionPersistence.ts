/**
 * The session kept in this browser for a reload: the file copy, mapping, period, settings and
 * results (writes queued one after another), a marker for long work a reload would cut short,
 * and the restore that brings it all back.
 */
import { pickPrimaryModel } from '../../core/evaluate/bestModel';
import { asUiError } from '../dataClient';
import * as store from '../sessionStore';
import type { TrainSettings } from '../sessionStore';
import { WORKER_HUNG } from '../workerWatchdog';
import { STRINGS } from '../strings';
import type { StudioHost } from './state.svelte';

export class SessionPersistence {
  /** Storage writes run one after another, so a slow file copy never overwrites a later update. */
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly studio: StudioHost) {}

  persist(work: () => Promise<void>): Promise<void> {
    this.saving = this.saving.then(work).catch(() => undefined);
    return this.saving;
  }

  /**
   * Notes in this browser's storage that long work has started (queued after the writes before it),
   * so a reload in the middle of it can say what was cut short.
   */
  markWork(work: store.WorkInProgress, fileName = this.studio.fileName ?? ''): Promise<void> {
    const marker = { work, fileName, since: new Date().toISOString() };
    return this.persist(() => store.markWork(marker));
  }

  /** The long work ended (done, failed, cancelled or stopped by a crash): nothing to report on reload. */
  endWork(): Promise<void> {
    return this.persist(() => store.markWork(null));
  }

  /** Saves the run (results first, the bundle after), so a reload shows it again. */
  async persistResult(settings: TrainSettings): Promise<void> {
    const s = this.studio;
    const result = s.result;
    await this.persist(() => store.updateSession({ settings, result, primaryModel: s.primaryModel, bundle: null, scores: null }));
    let bundle: Uint8Array | null = null;
    if (result?.bestNet) bundle = await s.model.api.exportBundle().catch(() => null);
    if (s.result !== result) return;
    s.bundle = bundle;
    await this.persist(() => store.updateSession({ bundle }));
    if (s.result === result) s.savedAt = new Date();
  }

  /**
   * Brings back the last session: the file copy, mapping, period and results. Work that a reload
   * cut short (a load, a build, a training, a scoring) is named in the notice; after a crash the
   * crash report says what happened instead.
   */
  async restore(options: { afterCrash?: boolean } = {}): Promise<void> {
    const s = this.studio;
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
      if (cutShort) s.notice = { text: STRINGS.interruptedBeforeKept(cutShort.fileName) };
      return;
    }
    s.busy = STRINGS.restoring;
    try {
      const file = await store.loadSessionFile(session);
      if (!file) throw new Error('file missing');
      s.watchFileSize(file.size);
      const inspection = await s.data.api.open(file);
      s.inspection = inspection;
      s.fileName = session.fileName;
      if (session.settings) s.settings = session.settings;
      if (session.mapping) {
        s.loaded = await s.data.api.load(session.mapping);
        s.mapping = session.mapping;
        const period = session.period ?? s.loaded.period;
        s.cutoff = period.cutoff;
        s.horizonEnd = period.horizonEnd ?? '';
        s.unit = session.unit;
        s.built = await s.data.api.build({ period, unit: session.unit });
        s.tablesVersion++;
        if (session.result || session.scores) await s.data.api.trainingInputs();
      }
      s.busy = null;
      if (session.result) {
        s.bundle = session.bundle;
        await s.showResult(session.result, session.primaryModel ?? pickPrimaryModel(session.result));
      } else if (session.scores) {
        await s.showScores(session.scores);
      }
      if (session.result || session.scores) s.savedAt = new Date(session.savedAt);
      const said = !cutShort ? '' : cutShort.fileName === session.fileName ? STRINGS.interrupted[cutShort.work] : STRINGS.interruptedBeforeKept(cutShort.fileName);
      s.notice = { text: said ? `${STRINGS.restored(session.fileName)} ${said}` : STRINGS.restored(session.fileName) };
    } catch (e) {
      // A hang was reported (with its retry) when it was noticed.
      if (asUiError(e).code === WORKER_HUNG) return;
      s.error = { code: 'RESTORE_FAILED', message: `${STRINGS.restoreFailed} (${asUiError(e).message})` };
    } finally {
      s.busy = null;
    }
  }
}
