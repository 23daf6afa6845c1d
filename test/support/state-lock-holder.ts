/**
 * Test helper: holds a stack's lock in its own process.
 * argv: STATE_PATH STACK TTL_MS HOST|- REFRESH_MS  (REFRESH_MS 0: never refresh)
 * Prints {"event":"locked",id,pid,host}; on a failed refresh {"event":"refresh-failed",name}.
 * The key comes from DBSTACK_STATE_KEY or the key file, as for any dbstack process.
 */
import { StateStore } from '../../state/index.js';

const [path, stack, ttl, host, refresh] = process.argv.slice(2) as [string, string, string, string, string];
const store = StateStore.open(path, { lockTtlMs: Number(ttl) });
const lock = store.acquireLock(stack, { command: 'dbstack apply', ...(host !== '-' ? { host } : {}) });
console.log(JSON.stringify({ event: 'locked', id: lock.id, pid: process.pid, host: lock.holder.host }));
if (Number(refresh) > 0) {
  const timer = setInterval(() => {
    try {
      lock.refresh();
    } catch (e) {
      console.log(JSON.stringify({ event: 'refresh-failed', name: (e as Error).name, message: (e as Error).message }));
      clearInterval(timer);
    }
  }, Number(refresh));
} else {
  setInterval(() => {}, 1 << 30);
}
