/**
 * How the app evaluates, by a time budget: K-fold cross-fitting trains every learned model K
 * times, so above this many customers the app uses one seeded 70/30 split and says so. Measured on
 * CDNOW_master (23,570 customers, 2 cores): the cross-fitted default run took 228 s of CPU
 * (`npm run bench -- --only fit`, commit f33cc81; 421–449 s before the plain FNN left the default),
 * about twice the 120 s budget; at 5,000 customers cross-fitting costs about a fifth of that.
 */
export const CROSS_FIT_MAX_CUSTOMERS = 5_000;

export function protocolForBudget(customers: number): 'cross-fit' | 'split' {
  return customers <= CROSS_FIT_MAX_CUSTOMERS ? 'cross-fit' : 'split';
}
