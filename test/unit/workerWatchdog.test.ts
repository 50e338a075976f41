import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WORKER_HUNG, WorkerWatchdog, watchedApi } from '../../src/ui/workerWatchdog';

/** A call the test answers (or never answers) by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Where a tracked call stands: still waiting, answered, or failed with an error. */
function watch<T>(promise: Promise<T>) {
  const state: { status: 'waiting' | 'resolved' | 'rejected'; value?: T; error?: unknown } = { status: 'waiting' };
  promise.then(
    (value) => Object.assign(state, { status: 'resolved', value }),
    (error: unknown) => Object.assign(state, { status: 'rejected', error }),
  );
  return state;
}

function watchdog(quietMs = 1000, extra: Partial<ConstructorParameters<typeof WorkerWatchdog>[0]> = {}) {
  const onHang = vi.fn();
  const dog = new WorkerWatchdog({ quietMs, onHang, message: (waiting) => `no answer to ${waiting.join(', ')}`, ...extra });
  return { dog, onHang };
}

describe('worker watchdog', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets a call that answers in time through, with its value', async () => {
    const { dog, onHang } = watchdog();
    const call = deferred<string>();
    const tracked = watch(dog.track('open', () => call.promise));
    await vi.advanceTimersByTimeAsync(999);
    call.resolve('inspection');
    await vi.advanceTimersByTimeAsync(0);
    expect(tracked).toEqual({ status: 'resolved', value: 'inspection' });
    // Nothing outstanding: silence for any length of time is fine.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(onHang).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('passes a call’s own error through unchanged', async () => {
    const { dog, onHang } = watchdog();
    const call = deferred<string>();
    const tracked = watch(dog.track('load', () => call.promise));
    call.reject({ code: 'NO_VALID_ROWS', message: 'no rows' });
    await vi.advanceTimersByTimeAsync(0);
    expect(tracked).toEqual({ status: 'rejected', error: { code: 'NO_VALID_ROWS', message: 'no rows' } });
    expect(onHang).not.toHaveBeenCalled();
  });

  it('declares a silent worker hung after quietMs: onHang once, every waiting call rejected', async () => {
    const { dog, onHang } = watchdog(1000);
    const first = watch(dog.track('open', () => deferred<string>().promise));
    await vi.advanceTimersByTimeAsync(400);
    const second = watch(dog.track('valueShares', () => deferred<string>().promise));
    // The second call is itself a message to the worker, not an answer: the silence counts from its start.
    await vi.advanceTimersByTimeAsync(999);
    expect(onHang).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(onHang).toHaveBeenCalledTimes(1);
    expect(onHang).toHaveBeenCalledWith(['open', 'valueShares']);
    const error = { code: WORKER_HUNG, message: 'no answer to open, valueShares' };
    expect(first).toEqual({ status: 'rejected', error });
    expect(second).toEqual({ status: 'rejected', error });
    expect(dog.hung).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('counts signs of life: steps, and other calls answering, restart the silence', async () => {
    const { dog, onHang } = watchdog(1000);
    const slow = deferred<string>();
    const tracked = watch(dog.track('load', () => slow.promise));
    for (let step = 0; step < 5; step++) {
      await vi.advanceTimersByTimeAsync(900);
      dog.alive();
    }
    const quick = deferred<number>();
    void dog.track('rows', () => quick.promise);
    await vi.advanceTimersByTimeAsync(900);
    quick.resolve(3);
    await vi.advanceTimersByTimeAsync(900);
    expect(onHang).not.toHaveBeenCalled();
    slow.resolve('loaded');
    await vi.advanceTimersByTimeAsync(0);
    expect(tracked.status).toBe('resolved');
    // A step after 4.5 s of work, then nothing: hung 1 s after the last sign of life.
    const stuck = watch(dog.track('build', () => deferred<string>().promise));
    await vi.advanceTimersByTimeAsync(500);
    dog.alive();
    await vi.advanceTimersByTimeAsync(999);
    expect(stuck.status).toBe('waiting');
    await vi.advanceTimersByTimeAsync(1);
    expect(stuck.status).toBe('rejected');
    expect(onHang).toHaveBeenCalledWith(['build']);
  });

  it('ignores a late answer and refuses new calls once the worker was declared hung', async () => {
    const { dog } = watchdog(1000);
    const call = deferred<string>();
    const tracked = watch(dog.track('open', () => call.promise));
    await vi.advanceTimersByTimeAsync(1000);
    call.resolve('too late');
    await vi.advanceTimersByTimeAsync(0);
    expect(tracked.status).toBe('rejected');
    const start = vi.fn(() => Promise.resolve(1));
    const after = watch(dog.track('open', start));
    await vi.advanceTimersByTimeAsync(0);
    expect(start).not.toHaveBeenCalled();
    expect(after.error).toMatchObject({ code: WORKER_HUNG });
  });

  it('allows a longer silence when told (a larger file)', async () => {
    const { dog, onHang } = watchdog(1000);
    dog.setQuietMs(5000);
    const tracked = watch(dog.track('load', () => deferred<string>().promise));
    await vi.advanceTimersByTimeAsync(4999);
    expect(onHang).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(tracked.status).toBe('rejected');
  });

  it('trusts a worker that answers pings while a long call runs, and not one that stops answering', async () => {
    let answering = true;
    const ping = vi.fn(() => (answering ? Promise.resolve('pong') : new Promise<never>(() => undefined)));
    const { dog, onHang } = watchdog(1000, { ping, pingEveryMs: 300 });
    const tracked = watch(dog.track('train', () => deferred<string>().promise));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(onHang).not.toHaveBeenCalled();
    expect(ping.mock.calls.length).toBeGreaterThanOrEqual(30);
    answering = false;
    await vi.advanceTimersByTimeAsync(1300);
    expect(onHang).toHaveBeenCalledTimes(1);
    expect(tracked.status).toBe('rejected');
    // No pings once nothing is outstanding.
    const pings = ping.mock.calls.length;
    await vi.advanceTimersByTimeAsync(5000);
    expect(ping.mock.calls.length).toBe(pings);
  });

  it('stop() ends the watch without declaring anything', async () => {
    const { dog, onHang } = watchdog(1000);
    const tracked = watch(dog.track('open', () => deferred<string>().promise));
    dog.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(onHang).not.toHaveBeenCalled();
    expect(tracked.status).toBe('waiting');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('watches every method of an API object under its own name, with its arguments and `this`', async () => {
    const { dog, onHang } = watchdog(1000);
    const api = {
      base: 10,
      add(a: number, b: number) {
        return Promise.resolve(this.base + a + b);
      },
      never(_file: string) {
        return new Promise<string>(() => undefined);
      },
    };
    const watched = watchedApi(api, dog);
    expect(watched.base).toBe(10);
    const sum = watch(watched.add(1, 2));
    await vi.advanceTimersByTimeAsync(0);
    expect(sum).toEqual({ status: 'resolved', value: 13 });
    const stuck = watch(watched.never('big.csv'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(onHang).toHaveBeenCalledWith(['never']);
    expect(stuck.status).toBe('rejected');
  });
});
