/**
 * The app's choice between cross-fitting and one split (core/evaluate/protocolChoice.ts): a budget
 * in customers × nets trained per training worker, the nets being those asked for and those the
 * ensemble stacks (core/evaluate/modelNames.ts trainedNets).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODELS, ENSEMBLE_NETS, trainedNets, type ModelName } from '../../src/core/evaluate/modelNames';
import { CROSS_FIT_CUSTOMER_NETS_PER_WORKER, protocolForBudget } from '../../src/core/evaluate/protocolChoice';

const CDNOW_MASTER_CUSTOMERS = 23_570;

describe('trainedNets', () => {
  it('counts the nets asked for and the ensemble’s own, once each', () => {
    expect(trainedNets(DEFAULT_MODELS)).toEqual(['ziln']);
    expect(trainedNets(['ensemble'])).toEqual([...ENSEMBLE_NETS]);
    expect(trainedNets(['ziln', 'ensemble'])).toEqual(['ziln']);
    expect(trainedNets([...DEFAULT_MODELS, 'hybrid']).sort()).toEqual(['hybrid', 'ziln']);
    expect(trainedNets(['fnn', 'lstm'])).toEqual(['fnn', 'lstm']);
  });

  it('no net for the models that never see the targets', () => {
    expect(trainedNets(['bgnbd-gg', 'pnbd-gg', 'mbgnbd-gg', 'naive', 'visitante'])).toEqual([]);
  });
});

describe('protocolForBudget', () => {
  it('cross-fits the default run on CDNOW_master with two training workers', () => {
    expect(protocolForBudget(CDNOW_MASTER_CUSTOMERS, DEFAULT_MODELS, 2)).toBe('cross-fit');
  });

  it('uses one split where the nets asked for would take too long', () => {
    // Two nets on the same customers: twice the training.
    expect(protocolForBudget(CDNOW_MASTER_CUSTOMERS, [...DEFAULT_MODELS, 'hybrid'], 2)).toBe('split');
    // One worker: the folds train one after another.
    expect(protocolForBudget(CDNOW_MASTER_CUSTOMERS, DEFAULT_MODELS, 1)).toBe('split');
  });

  it('the budget is customers × nets per worker, at its edge', () => {
    const models: ModelName[] = ['ziln', 'hybrid', 'ensemble'];
    const edge = CROSS_FIT_CUSTOMER_NETS_PER_WORKER; // 2 nets on 2 workers
    expect(protocolForBudget(edge, models, 2)).toBe('cross-fit');
    expect(protocolForBudget(edge + 1, models, 2)).toBe('split');
    // No worker count reads as one worker.
    expect(protocolForBudget(CROSS_FIT_CUSTOMER_NETS_PER_WORKER, ['ziln'])).toBe('cross-fit');
    expect(protocolForBudget(CROSS_FIT_CUSTOMER_NETS_PER_WORKER + 1, ['ziln'], 0)).toBe('split');
  });

  it('cross-fits any file when no net trains (the probabilistic models fit once)', () => {
    expect(protocolForBudget(10_000_000, ['bgnbd-gg', 'naive', 'visitante'], 1)).toBe('cross-fit');
  });
});
