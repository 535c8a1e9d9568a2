/**
 * Deterministic event ids (RFC 4122 / RFC 9562 uuid version 5: SHA-1 of namespace + name), so re-importing
 * the same fact yields the same eventId and the store's idempotent append ignores it.
 */
import { createHash } from 'node:crypto';

/** Fixed for lessonloop; changing it changes every deterministic id ever minted. */
export const LESSONLOOP_NAMESPACE = '6fb05a32-20ec-4077-812b-8438933ba535';
/** RFC 4122 appendix C namespaces, for checking against published vectors. */
export const DNS_NAMESPACE = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
export const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function uuidV5(name: string, namespace: string): string {
  if (!UUID_PATTERN.test(namespace)) throw new Error(`Not a uuid namespace: ${namespace}`);
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export type EventIdPart = string | number | null;

/**
 * `namespaceName` says what kind of fact it is (e.g. `TestOutcomeRecorded`); `parts` identify it. The name hashed
 * is the JSON array of both, so `('a', 'b-c')` and `('a-b', 'c')` or `1` and `'1'` never collide.
 */
export function deterministicEventId(namespaceName: string, ...parts: EventIdPart[]): string {
  for (const part of parts) {
    if (part === undefined) throw new Error('Event id part is undefined (pass null for an absent value)');
    // JSON would write NaN and Infinity as null, which would collide with a real null.
    if (typeof part === 'number' && !Number.isFinite(part)) throw new Error(`Event id part is not finite: ${part}`);
  }
  return uuidV5(JSON.stringify([namespaceName, ...parts]), LESSONLOOP_NAMESPACE);
}
