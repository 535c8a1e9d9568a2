/**
 * Signed webhook bodies. Each subscription signs with its own key, HMAC-SHA256(server secret, subscription id):
 * the log holds no credential, and the key can be shown again to whoever holds the server secret
 * (`lessonloop webhooks key <id>`). The signature header is `t=<unix seconds>,v1=<hex HMAC-SHA256(key, "t.body")>`:
 * the timestamp inside the signed text lets a receiver refuse replays older than its tolerance.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-lessonloop-signature';

export function webhookSigningKey(serverSecret: string, subscriptionId: string): string {
  return createHmac('sha256', serverSecret).update(`webhook:${subscriptionId}`).digest('hex');
}

export function signatureHeader(key: string, unixSeconds: number, body: string): string {
  const mac = createHmac('sha256', key).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** What a receiver does: true when the header signs this exact body with this key, within `toleranceSeconds` of now. */
export function verifySignature(key: string, header: string, body: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const parts = new Map(header.split(',').map((part) => part.split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const given = parts.get('v1');
  if (!Number.isInteger(t) || !given || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = signatureHeader(key, t, body).split('v1=')[1]!;
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}
