/**
 * Waits cut short by a long-lived promise (a subscription's close). A `.then` or a `Promise.race` on that
 * promise per wait adds a reaction to it that stays until it settles, which a live subscription's close never
 * does: each reaction kept its wait's closures and timer, so a server's heap grew with every head read and
 * wake-up (about 0.9 MB per 1,000 bandit sessions). Here a promise gets one reaction, whatever the number of
 * waits, and a wait that ends forgets its callback.
 */

/** Per promise: its waiting callbacks, or null once it has settled. */
const callbacksOf = new WeakMap<Promise<unknown>, Set<() => void> | null>();

/** Calls `callback` once `promise` settles (soon, if it has), unless the returned function is called first. */
export function onSettled(promise: Promise<unknown>, callback: () => void): () => void {
  let callbacks = callbacksOf.get(promise);
  if (callbacks === undefined) {
    const all = new Set<() => void>();
    callbacks = all;
    callbacksOf.set(promise, all);
    const settle = () => {
      callbacksOf.set(promise, null);
      for (const c of all) c();
      all.clear();
    };
    void promise.then(settle, settle);
  }
  if (callbacks === null) {
    let forgotten = false;
    queueMicrotask(() => forgotten || callback());
    return () => void (forgotten = true);
  }
  const waiting = callbacks;
  waiting.add(callback);
  return () => void waiting.delete(callback);
}

/** Resolves after `ms`, or as soon as `until` settles. */
export function sleepUntilSettled(ms: number, until: Promise<unknown>): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      forget();
      resolve();
    };
    const timer = setTimeout(done, ms);
    const forget = onSettled(until, done);
  });
}
