/**
 * When a request may be sent again, and how long to wait first. Connection failures and 5xx
 * are retried for requests that are safe to repeat; a POST or PATCH is repeated only when it
 * never reached the server (the connection was refused or the name did not resolve), since
 * repeating one that did could create a second server or volume.
 */
export const MAX_TRIES = 4;

/** Errors raised before a byte of the request was sent. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Errors where the request may or may not have been processed. */
const MAYBE_SENT = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ERR_STREAM_PREMATURE_CLOSE']);

export function isIdempotent(method: string): boolean {
  return !['POST', 'PATCH'].includes(method.toUpperCase());
}

export function retryableError(method: string, code: string | undefined): boolean {
  if (code === undefined) return false;
  if (NOT_SENT.has(code)) return true;
  return MAYBE_SENT.has(code) && isIdempotent(method);
}

export function retryableStatus(method: string, status: number): boolean {
  // 429 means the request was not processed, so even a POST may be repeated.
  if (status === 429) return true;
  return status >= 500 && status !== 501 && isIdempotent(method);
}

/**
 * Exponential backoff with jitter (a random wait between half and all of 0.25 s, 0.5 s, 1 s … capped at 8 s), or the
 * server's Retry-After when it gives one (capped at 30 s).
 */
export function backoffMs(attempt: number, retryAfter?: string | undefined, random: () => number = Math.random): number {
  if (retryAfter !== undefined) {
    const secs = Number(retryAfter);
    if (Number.isFinite(secs) && secs >= 0) return Math.min(secs * 1000, 30_000);
  }
  const cap = Math.min(250 * 2 ** attempt, 8000);
  return Math.round(cap / 2 + random() * (cap / 2));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
