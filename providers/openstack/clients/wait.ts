/**
 * Polling for long-running cloud operations (server ACTIVE, volume in-use, resize). Backoff
 * from 0.5 s doubling to 5 s: never a tight loop, and a slow cloud is not hammered.
 */

export interface WaitOptions<T> {
  /** Give up after this long (the user's timeout). */
  timeoutMs: number;
  /** Stop waiting when aborted (second Ctrl-C); the object stays where read() can find it. */
  signal?: AbortSignal;
  /** Called after each read, e.g. to report progress. */
  onPoll?: (t: T | undefined) => void;
  /** What is awaited, for messages ("server db-1 to become ACTIVE"). */
  what?: string;
  /** First and longest delay; defaults 500 and 5000 ms. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export class WaitError extends Error {
  constructor(message: string, readonly reason: 'failed' | 'timeout' | 'aborted' | 'gone') {
    super(message);
    this.name = 'WaitError';
  }
}

/**
 * Reads until `done` (checked before `failed`); throws WaitError with `failed`'s message (the object's own fault text)
 * when it reports failure, when the object disappears, on timeout or on abort.
 */
export async function waitFor<T>(
  read: () => Promise<T | undefined>,
  done: (t: T) => boolean,
  failed: (t: T) => string | undefined,
  options: WaitOptions<T>,
): Promise<T> {
  const what = options.what ?? 'the operation';
  const deadline = Date.now() + options.timeoutMs;
  let delay = options.initialDelayMs ?? 500;
  const max = options.maxDelayMs ?? 5000;
  for (;;) {
    if (options.signal?.aborted) throw new WaitError(`stopped waiting for ${what}`, 'aborted');
    const t = await read();
    options.onPoll?.(t);
    if (t === undefined) throw new WaitError(`${what}: the object no longer exists`, 'gone');
    // done first: a caller may wait for an error status on purpose (['available', 'error']).
    if (done(t)) return t;
    const fault = failed(t);
    if (fault !== undefined) throw new WaitError(`${what} failed: ${fault}`, 'failed');
    const left = deadline - Date.now();
    if (left <= 0) throw new WaitError(`timed out after ${Math.round(options.timeoutMs / 1000)} s waiting for ${what}`, 'timeout');
    await sleep(Math.min(delay, left), options.signal);
    delay = Math.min(delay * 2, max);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
