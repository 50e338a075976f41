/**
 * How the app evaluates, by a time budget of about 120 s on a 2-core machine without a GPU: K-fold
 * cross-fitting trains every learned net K times, so above a number of customers the app uses one
 * seeded 70/30 split and says so. The folds' nets train side by side, one per training worker
 * (nets/netTrainer.ts), so the number scales with the workers. Measured on CDNOW_master (23,570
 * customers): the cross-fitted default run trains ten nets in about 190 s of CPU
 * (`npm run bench -- --only fit`); one worker gets through about 12,000 customers' worth of it in
 * the budget, two workers on two cores all of CDNOW_master.
 */
export const CROSS_FIT_CUSTOMERS_PER_WORKER = 12_000;

export function protocolForBudget(customers: number, trainingWorkers = 1): 'cross-fit' | 'split' {
  return customers <= CROSS_FIT_CUSTOMERS_PER_WORKER * Math.max(1, trainingWorkers) ? 'cross-fit' : 'split';
}
