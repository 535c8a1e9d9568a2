/**
 * Waits cut short by a subscription's close attach one reaction to that promise, not one per wait: a live
 * subscription's close never settles, so a reaction per wait was kept for ever (the bench server's heap grew
 * with every head read and wake-up).
 */
import type { SqlClient } from '../../src/database/sql-client.js';
import { onSettled, sleepUntilSettled } from '../../src/event-store/sql/settle-callbacks.js';
import { Wakeups } from '../../src/event-store/sql/wakeups.js';

/** A promise that counts the reactions attached to it, and settles when told. */
function closeSignal(): { promise: Promise<void>; close: () => void; thens: () => number } {
  let close!: () => void;
  const promise = new Promise<void>((resolve) => (close = resolve));
  let thens = 0;
  const then = promise.then.bind(promise);
  promise.then = ((...args: Parameters<typeof then>) => (thens++, then(...args))) as typeof promise.then;
  return { promise, close, thens: () => thens };
}

const never = () => new Promise<void>(() => undefined);

describe('waits cut short by a long-lived promise', () => {
  it('attach one reaction to it however many waits end before it settles', async () => {
    const signal = closeSignal();
    for (let i = 0; i < 200; i++) await sleepUntilSettled(0, signal.promise);
    expect(signal.thens()).toBe(1);
  });

  it('end when it settles, before their time, and at once once it has', async () => {
    const signal = closeSignal();
    const started = performance.now();
    const waits = [sleepUntilSettled(60_000, signal.promise), sleepUntilSettled(60_000, signal.promise)];
    signal.close();
    await Promise.all(waits);
    await sleepUntilSettled(60_000, signal.promise);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('forget their callback when they end first', async () => {
    const calls: string[] = [];
    const signal = closeSignal();
    const forget = onSettled(signal.promise, () => calls.push('forgotten'));
    onSettled(signal.promise, () => calls.push('kept'));
    forget();
    signal.close();
    await signal.promise;
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual(['kept']);
  });

  it("a store's wake-up waits: one reaction on the subscription's close, and the close still ends a wait", async () => {
    const sql = { listen: async () => async () => undefined } as unknown as SqlClient;
    const wakeups = new Wakeups(sql);
    const signal = closeSignal();
    for (let i = 0; i < 200; i++) await wakeups.wait(wakeups.current(), 0, signal.promise);
    expect(signal.thens()).toBe(1);
    const waiting = wakeups.wait(wakeups.current(), 60_000, signal.promise);
    signal.close();
    await waiting;
    const untilStoreCloses = wakeups.wait(wakeups.current(), 60_000, never());
    await wakeups.close();
    await untilStoreCloses;
  }, 10_000);
});
