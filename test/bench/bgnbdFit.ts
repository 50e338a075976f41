/**
 * Time of one BG/NBD fit on the full CDNOW log (23,570 customers), measured here rather than
 * asserted in a test (a busy machine would make a time limit flaky):
 *
 *   npx tsx test/bench/bgnbdFit.ts
 *
 * Prints one JSON line: best and median of five fits after a warm-up fit, in milliseconds.
 */
import { fitBgNbd } from '../../src/core/models/bgnbd';
import { summariseCdnowLog } from '../support/cdnowData';

const master = summariseCdnowLog('CDNOW_master.txt', 1);
fitBgNbd(master);
const times: number[] = [];
let converged = true;
for (let run = 0; run < 5; run++) {
  const started = performance.now();
  converged &&= fitBgNbd(master).converged;
  times.push(performance.now() - started);
}
times.sort((a, b) => a - b);
console.log(JSON.stringify({ bench: 'bgnbd_fit_cdnow_master', customers: master.frequency.length, converged, best_ms: Math.round(times[0]), median_ms: Math.round(times[2]) }));
