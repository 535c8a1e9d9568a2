/**
 * Answers computed from a projection instance, kept until the instance moves: the key includes the instance
 * id and its checkpoint, so a new event or a switched-in rebuild gives a new key. Concurrent requests for the
 * same key share one computation. Bounded (oldest entries dropped first).
 */
export class VersionedCache {
  private readonly entries = new Map<string, Promise<unknown>>();

  constructor(private readonly maxEntries = 256) {}

  get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const found = this.entries.get(key);
    if (found) return found as Promise<T>;
    const value = compute();
    this.entries.set(key, value);
    value.catch(() => this.entries.delete(key));
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }
}
