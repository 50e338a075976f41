import type { ClvErrorCode } from '../core/errors';

/**
 * Notices a worker that stopped answering. A worker that dies raises an error event (see
 * dataClient/modelClient), but one that hangs, or dies without a word, leaves its calls pending for
 * ever ("Reading the file…" with nothing happening). So every call to the worker goes through a
 * watchdog: while at least one call is outstanding, the worker must show a sign of life within
 * `quietMs` (a call settling, a progress or step message, an answered ping), or it is declared hung:
 * `onHang` hears which calls were waiting (the owner ends and replaces the worker) and every
 * outstanding call is rejected with WORKER_HUNG. An idle worker is never suspected.
 *
 * No DOM: only setTimeout, so it is tested with fake timers.
 */
export const WORKER_HUNG = 'WORKER_HUNG' satisfies ClvErrorCode;

export interface HungError {
  code: typeof WORKER_HUNG;
  message: string;
}

export interface WatchdogOptions {
  /** Longest silence, while calls are outstanding, before the worker is declared hung. */
  quietMs: number;
  /** Called once, with the labels of the calls that were waiting, when the worker is declared hung. */
  onHang: (waiting: string[]) => void;
  /** What the rejected calls say (the same sentence the owner shows). */
  message: (waiting: string[]) => string;
  /**
   * A cheap call the worker answers between its tasks. When given, it is sent every `pingEveryMs`
   * while calls are outstanding, and each answer counts as a sign of life: a worker busy in
   * awaited work (training between batches) stays trusted however long the call takes.
   */
  ping?: () => Promise<unknown>;
  pingEveryMs?: number;
}

interface PendingCall {
  label: string;
  reject: (error: HungError) => void;
}

export class WorkerWatchdog {
  private quietMs: number;
  private readonly pending = new Map<number, PendingCall>();
  private nextId = 0;
  private quietTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private stopped = false;

  constructor(private readonly options: WatchdogOptions) {
    this.quietMs = options.quietMs;
  }

  /** A longer or shorter silence allowed from now on (e.g. scaled to the size of the file open). */
  setQuietMs(quietMs: number): void {
    this.quietMs = quietMs;
    if (this.quietTimer !== null) this.arm();
  }

  /** Whether the worker was declared hung (or the watchdog stopped): calls now fail at once. */
  get hung(): boolean {
    return this.stopped;
  }

  /**
   * Runs one call under watch. Its own settling is a sign of life; if the worker is declared hung
   * first, the returned promise rejects with WORKER_HUNG and the call's late answer is ignored.
   */
  track<T>(label: string, call: () => Promise<T>): Promise<T> {
    if (this.stopped) return Promise.reject(this.hungError([label]));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { label, reject });
      if (this.pending.size === 1) this.startWatching();
      else this.arm();
      const settle = () => {
        if (!this.pending.delete(id)) return false;
        if (this.pending.size === 0) this.stopWatching();
        else this.arm();
        return true;
      };
      let started: Promise<T>;
      try {
        started = call();
      } catch (error) {
        started = Promise.reject(error);
      }
      started.then(
        (value) => {
          if (settle()) resolve(value);
        },
        (error: unknown) => {
          if (settle()) reject(error);
        },
      );
    });
  }

  /** A sign of life from the worker (a step or progress message): the silence starts again. */
  alive(): void {
    if (this.pending.size > 0 && !this.stopped) this.arm();
  }

  /** Stops watching for good (the worker is being replaced); outstanding calls are left as they are. */
  stop(): void {
    this.stopped = true;
    this.stopWatching();
    this.pending.clear();
  }

  private startWatching(): void {
    this.arm();
    const { ping, pingEveryMs } = this.options;
    if (ping && pingEveryMs && this.pingTimer === null) {
      this.pingTimer = setInterval(() => {
        ping().then(
          () => this.alive(),
          () => undefined,
        );
      }, pingEveryMs);
    }
  }

  private stopWatching(): void {
    if (this.quietTimer !== null) clearTimeout(this.quietTimer);
    if (this.pingTimer !== null) clearInterval(this.pingTimer);
    this.quietTimer = null;
    this.pingTimer = null;
  }

  private arm(): void {
    if (this.quietTimer !== null) clearTimeout(this.quietTimer);
    this.quietTimer = setTimeout(() => this.declareHung(), this.quietMs);
  }

  private declareHung(): void {
    const calls = [...this.pending.values()];
    const waiting = calls.map((c) => c.label);
    this.stop();
    this.options.onHang(waiting);
    const error = this.hungError(waiting);
    for (const c of calls) c.reject(error);
  }

  private hungError(waiting: string[]): HungError {
    return { code: WORKER_HUNG, message: this.options.message(waiting) };
  }
}

/**
 * The worker's API with every method call under `watchdog`: the same methods, each tracked under
 * its own name. Works on any object of async methods, Comlink's remote proxies included.
 */
export function watchedApi<Api extends object>(api: Api, watchdog: WorkerWatchdog): Api {
  return new Proxy(api, {
    get(target, property) {
      const member = Reflect.get(target, property) as unknown;
      if (typeof property !== 'string' || typeof member !== 'function') return member;
      // Reflect.apply, not member.apply: on a Comlink proxy `.apply` would name a remote method.
      return (...args: unknown[]) => watchdog.track(property, () => Reflect.apply(member as (...a: unknown[]) => Promise<unknown>, target, args) as Promise<unknown>);
    },
  });
}
