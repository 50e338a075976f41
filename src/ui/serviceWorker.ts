/**
 * Registers public/sw.js under the site's base path (e.g. /repo/ on GitHub Pages), so after one
 * visit the app, its wasm and the sample load from the cache and the flow works offline.
 */
export function registerServiceWorker(base: string): void {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register(`${base}sw.js`, { scope: base }).catch(() => {
    // Without a service worker the app still works online; nothing to tell the user.
  });
}
