/**
 * How the app evaluates, by a time budget of about 120 s on a 2-core machine without a GPU: K-fold
 * cross-fitting trains every net K times, so above a number of customers the app uses one seeded
 * 70/30 split and says so. Nearly all of a run is net training, one net per fold and per net
 * trained (modelNames.ts trainedNets), side by side on the training workers (nets/netTrainer.ts),
 * so the budget is in customers × nets per worker. Measured on CDNOW_master (23,570 customers,
 * `npm run bench -- --only fit`, two workers on two cores, Train to the metrics on screen): the
 * default run (one net, ZILN) 89.9 s; with the hybrid too (two nets, 47,140 customer-nets) 158–173 s.
 * 15,000 per worker puts the default run on CDNOW_master (11,785 per worker) at cross-fitting, and
 * two nets at cross-fitting up to 15,000 customers on two workers.
 */
import { trainedNets, type ModelName } from './modelNames';

export const CROSS_FIT_CUSTOMER_NETS_PER_WORKER = 15_000;

export function protocolForBudget(customers: number, models: readonly ModelName[], trainingWorkers = 1): 'cross-fit' | 'split' {
  const nets = trainedNets(models).length;
  return customers * nets <= CROSS_FIT_CUSTOMER_NETS_PER_WORKER * Math.max(1, trainingWorkers) ? 'cross-fit' : 'split';
}
