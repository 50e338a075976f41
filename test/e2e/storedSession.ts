import type { Page } from 'playwright-core';

/**
 * What the app keeps in IndexedDB (src/ui/sessionStore.ts), read from the page: whether the session
 * holds (its file, whether it has results) and the marker of long work in progress.
 */
export function storedSession(page: Page): Promise<{ fileName: string | null; inProgress: { work: string; fileName: string } | null; result: 'kept' | null } | null> {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const open = indexedDB.open('clv-studio', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('session');
        open.onerror = () => resolve(null);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction('session', 'readonly');
          const get = tx.objectStore('session').get('current');
          const work = tx.objectStore('session').get('work');
          tx.oncomplete = () => {
            const value = get.result as { fileName: string; result?: unknown } | undefined;
            db.close();
            resolve(value || work.result ? { fileName: value?.fileName ?? null, inProgress: work.result ?? null, result: value?.result ? 'kept' : null } : null);
          };
          get.onerror = () => {
            db.close();
            resolve(null);
          };
        };
      }),
  );
}
