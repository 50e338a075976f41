/** `fit --model`: shorthands, lists, and shorthands inside lists (src/node/commands/fitModels.ts parseModels). */
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODELS } from '../../src/core/evaluate/modelNames';
import { CLI_MODELS, parseModels } from '../../src/node/commands/fitModels';

describe('parseModels', () => {
  it('a shorthand alone is its models (a net with the baselines it is compared with)', () => {
    expect(parseModels('default')).toEqual(DEFAULT_MODELS);
    expect(parseModels('ziln')).toEqual(['ziln', 'naive', 'bgnbd-gg']);
  });

  it('a list names models; default, btyd and all in it stand for their models, each model once', () => {
    expect(parseModels('bgnbd-gg,ziln')).toEqual(['bgnbd-gg', 'ziln']);
    expect(parseModels('default,hybrid')).toEqual([...DEFAULT_MODELS, 'hybrid']);
    expect(parseModels('ziln, btyd')).toEqual(['ziln', ...CLI_MODELS.btyd]);
    expect(parseModels('naive,default')).toEqual(['naive', ...DEFAULT_MODELS.filter((m) => m !== 'naive')]);
  });

  it('an unknown name is refused, and the message lists what is accepted', () => {
    expect(() => parseModels('default,magic')).toThrow(/Unknown model "magic".*default, btyd and all may be in it/);
  });
});
