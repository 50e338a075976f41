import { describe, expect, it } from 'vitest';
import { serialQueue } from '../../workers/serialQueue';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** A stand-in for tf.setBackend: several awaits between starting and finishing a switch. */
function fakeBackend() {
  let current = 'cpu';
  let switching = 0;
  const overlaps: string[] = [];
  const log: string[] = [];
  return {
    log,
    overlaps,
    get current() {
      return current;
    },
    async setBackend(name: string, steps: number): Promise<string> {
      if (switching > 0) overlaps.push(name);
      switching++;
      log.push(`start ${name}`);
      for (let i = 0; i < steps; i++) await tick();
      current = name;
      log.push(`end ${name}`);
      switching--;
      return current;
    },
  };
}

describe('serialQueue', () => {
  it('without the queue, two activations interleave (the bug the queue prevents)', async () => {
    const tf = fakeBackend();
    await Promise.all([tf.setBackend('webgpu', 5), tf.setBackend('wasm', 1)]);
    expect(tf.overlaps).toEqual(['wasm']);
    // The slow first call finished last and won, although the second was the later request.
    expect(tf.current).toBe('webgpu');
  });

  it('runs activations one at a time, in call order, and the last request wins', async () => {
    const tf = fakeBackend();
    const queue = serialQueue();
    const results = await Promise.all([queue(() => tf.setBackend('webgpu', 5)), queue(() => tf.setBackend('wasm', 1)), queue(() => tf.setBackend('cpu', 3))]);
    expect(tf.overlaps).toEqual([]);
    expect(tf.log).toEqual(['start webgpu', 'end webgpu', 'start wasm', 'end wasm', 'start cpu', 'end cpu']);
    expect(results).toEqual(['webgpu', 'wasm', 'cpu']);
    expect(tf.current).toBe('cpu');
  });

  it('holds a switch back until a job that uses the backend has finished', async () => {
    const tf = fakeBackend();
    const queue = serialQueue();
    const seen: string[] = [];
    const job = queue(async () => {
      await tf.setBackend('wasm', 1);
      for (let epoch = 0; epoch < 4; epoch++) {
        await tick();
        seen.push(tf.current);
      }
      return 'trained';
    });
    const probe = queue(() => tf.setBackend('webgl', 1));
    expect(await job).toBe('trained');
    expect(seen).toEqual(['wasm', 'wasm', 'wasm', 'wasm']);
    expect(await probe).toBe('webgl');
  });

  it('passes a failure to its own caller only; later tasks still run', async () => {
    const queue = serialQueue();
    const failed = queue(async () => {
      await tick();
      throw new Error('webgpu adapter lost');
    });
    const next = queue(async () => 'wasm');
    await expect(failed).rejects.toThrow('webgpu adapter lost');
    expect(await next).toBe('wasm');
  });
});
