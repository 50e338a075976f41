/**
 * How the app evaluates, by a time budget of about 120 s on a 2-core machine without a GPU: K-fold
 * cross-fitting trains every learned net K times, so above a number of customers the app uses one
 * seeded 70/30 split and says so. The folds' nets train side by side, one per training worker
 * (nets/netTrainer.ts), so the number scales with the workers. Measured on CDNOW_master (23,570
 * customers, `npm run bench -- --only fit`, commit 8d82670): the cross-fitted default run took
 * 112 s in the app from Train to the metrics with two workers on two cores (85 s in the CLI).
 */
export const CROSS_FIT_CUSTOMERS_PER_WORKER = 12_000;

export function protocolForBudget(customers: number, trainingWorkers = 1): 'cross-fit' | 'split' {
  return customers <= CROSS_FIT_CUSTOMERS_PER_WORKER * Math.max(1, trainingWorkers) ? 'cross-fit' : 'split';
}
