import type { SubscriptionMessage } from './event-store.port.js';

/** A subscription's iterator: `next` reads on, and leaving a `for await` early (return) closes the subscription. */
export function closingIterator(
  next: () => Promise<IteratorResult<SubscriptionMessage>>,
  close: () => Promise<void>,
): AsyncIterator<SubscriptionMessage> {
  return {
    next,
    return: async () => {
      await close();
      return { done: true, value: undefined };
    },
  };
}
