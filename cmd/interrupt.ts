/** First SIGINT/SIGTERM: stop starting work (drain); second: abort what runs. */
export function interruptSignals(notify: (count: number) => void): { drain: AbortSignal; abort: AbortSignal; dispose(): void } {
  const drain = new AbortController();
  const abort = new AbortController();
  let count = 0;
  const on = () => {
    count++;
    notify(count);
    if (count === 1) drain.abort(new Error('interrupted'));
    else abort.abort(new Error('aborted by a second interrupt'));
  };
  process.on('SIGINT', on);
  process.on('SIGTERM', on);
  return {
    drain: drain.signal,
    abort: abort.signal,
    dispose() {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
    },
  };
}
