/**
 * The session survives a reload: a copy of the dropped file in the origin-private file system
 * (IndexedDB when OPFS is unavailable) and the mapping, period, settings and results in
 * IndexedDB. Everything stays in this browser profile; `forgetSession` removes all of it.
 */
import type { ColumnMapping } from '../core/mapping/roles';
import type { Period, TimeUnit } from '../core/tables/period';
import type { BackendName, ModelName, TrainResult } from '../../workers/contracts';

export interface TrainSettings {
  models: ModelName[];
  maxEpochs: number;
  seed: number;
  backend: BackendName | null;
}

/** Predictions from a saved model bundle on the loaded file (no training, no metrics). */
export interface BundleScores {
  bundleName: string;
  values: Float32Array;
}

/** Long work that a reload would cut short: loading a file, building tables, training, scoring with a bundle. */
export type WorkInProgress = 'load' | 'build' | 'training' | 'scoring';

export interface SavedSession {
  fileName: string;
  fileType: string;
  mapping: ColumnMapping | null;
  period: Period | null;
  unit: TimeUnit;
  settings: TrainSettings | null;
  result: TrainResult | null;
  primaryModel: string | null;
  /** The trained model as a bundle, so it can still be downloaded after a reload. */
  bundle: Uint8Array | null;
  scores: BundleScores | null;
  savedAt: string;
}

const DB_NAME = 'clv-studio';
const STORE = 'session';
const SESSION_KEY = 'current';
const FILE_KEY = 'file';
const OPFS_FILE = 'session-file';
const WORK_KEY = 'work';

/**
 * Long work under way, kept beside the session (not in it): it is written before a new file is
 * copied, so a reload during the copy can still say which file was being loaded.
 */
export interface WorkMarker {
  work: WorkInProgress;
  fileName: string;
  since: string;
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function withStore<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

async function opfsRoot(): Promise<FileSystemDirectoryHandle | null> {
  try {
    return navigator.storage?.getDirectory ? await navigator.storage.getDirectory() : null;
  } catch {
    return null;
  }
}

/** Keeps a copy of the file, streamed (never whole in memory), and starts a fresh session record. */
export async function saveFile(file: File): Promise<void> {
  const root = await opfsRoot();
  let copied = false;
  if (root) {
    try {
      const handle = await root.getFileHandle(OPFS_FILE, { create: true });
      const writable = await handle.createWritable();
      await file.stream().pipeTo(writable);
      copied = true;
    } catch {
      copied = false;
    }
  }
  if (!copied) await withStore('readwrite', (s) => s.put(file, FILE_KEY));
  else await withStore('readwrite', (s) => s.delete(FILE_KEY));
  const session: SavedSession = {
    fileName: file.name,
    fileType: file.type,
    mapping: null,
    period: null,
    unit: 'day',
    settings: null,
    result: null,
    primaryModel: null,
    bundle: null,
    scores: null,
    savedAt: new Date().toISOString(),
  };
  await withStore('readwrite', (s) => s.put(session, SESSION_KEY));
}

export async function loadSession(): Promise<SavedSession | null> {
  return (await withStore<SavedSession | undefined>('readonly', (s) => s.get(SESSION_KEY))) ?? null;
}

/** Merges `patch` into the saved session (no-op when there is none). */
export async function updateSession(patch: Partial<SavedSession>): Promise<void> {
  const current = await loadSession();
  if (!current) return;
  await withStore('readwrite', (s) => s.put({ ...current, ...patch, savedAt: new Date().toISOString() }, SESSION_KEY));
}

/** Records the long work that starts now, or (null) that it ended. */
export async function markWork(marker: WorkMarker | null): Promise<void> {
  if (marker) await withStore('readwrite', (s) => s.put(marker, WORK_KEY));
  // Clearing the marker must not create the database again after "forget" or a cancelled load
  // deleted it (opening a store creates an empty database).
  else if (await databaseExists()) await withStore('readwrite', (s) => s.delete(WORK_KEY));
}

async function databaseExists(): Promise<boolean> {
  if (typeof indexedDB.databases !== 'function') return true;
  return (await indexedDB.databases()).some((d) => d.name === DB_NAME);
}

export async function loadWork(): Promise<WorkMarker | null> {
  return (await withStore<WorkMarker | undefined>('readonly', (s) => s.get(WORK_KEY))) ?? null;
}

export async function loadSessionFile(session: SavedSession): Promise<File | null> {
  const root = await opfsRoot();
  if (root) {
    try {
      const blob = await (await root.getFileHandle(OPFS_FILE)).getFile();
      return new File([blob], session.fileName, { type: session.fileType });
    } catch {
      // Not in OPFS: it may have been kept in IndexedDB instead.
    }
  }
  const stored = await withStore<Blob | undefined>('readonly', (s) => s.get(FILE_KEY));
  return stored ? new File([stored], session.fileName, { type: session.fileType }) : null;
}

/** Removes the file copy, the session and its results from this browser. */
export async function forgetSession(): Promise<void> {
  const root = await opfsRoot();
  if (root) {
    try {
      await root.removeEntry(OPFS_FILE);
    } catch {
      // Nothing was stored there.
    }
  }
  await new Promise<void>((resolve, reject) => {
    const request = indexedDB.deleteDatabase(DB_NAME);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
    request.onblocked = () => resolve();
  });
}
