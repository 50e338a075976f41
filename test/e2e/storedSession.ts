import type { Page } from 'playwright-core';

/** The session record the app keeps in IndexedDB (src/ui/sessionStore.ts), read from the page. */
export function storedSession(page: Page): Promise<{ inProgress?: { work: string } | null; period?: unknown; result?: unknown } | null> {
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
          get.onsuccess = () => {
            const value = get.result as { inProgress?: { work: string } | null; period?: unknown; result?: unknown } | undefined;
            db.close();
            resolve(value ? { inProgress: value.inProgress, period: value.period, result: value.result ? 'kept' : null } : null);
          };
          get.onerror = () => {
            db.close();
            resolve(null);
          };
        };
      }),
  );
}
