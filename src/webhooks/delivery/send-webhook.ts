/** One HTTP POST of a delivery's body, signed. 2xx is delivered; anything else (or no answer) is a failed attempt. */
import http from 'node:http';
import https from 'node:https';
import { signatureHeader, SIGNATURE_HEADER } from '../signing.js';
import { guardedLookup } from './receiver-address.js';

export interface SendRequest {
  url: string;
  body: string;
  eventId: string;
  eventType: string;
  deliveryId: string;
  signingKey: string;
}

export interface SendOptions {
  allowPrivate: boolean;
  timeoutMs: number;
}

export type SendResult = { ok: true; statusCode: number } | { ok: false; statusCode: number | null; error: string };

export function sendWebhook(request: SendRequest, options: SendOptions): Promise<SendResult> {
  const url = new URL(request.url);
  const client = url.protocol === 'https:' ? https : http;
  const headers = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(request.body).toString(),
    'user-agent': 'lessonloop-webhooks',
    // The event id: a receiver that stores the keys it has seen drops a redelivery (delivery is at least once).
    'idempotency-key': request.eventId,
    'x-lessonloop-event-id': request.eventId,
    'x-lessonloop-event-type': request.eventType,
    'x-lessonloop-delivery-id': request.deliveryId,
    [SIGNATURE_HEADER]: signatureHeader(request.signingKey, Math.floor(Date.now() / 1000), request.body),
  };
  return new Promise((resolve) => {
    const req = client.request(
      url,
      { method: 'POST', headers, timeout: options.timeoutMs, lookup: guardedLookup(options.allowPrivate) as never },
      (res) => {
        res.resume();
        res.on('end', () => {
          const statusCode = res.statusCode ?? 0;
          resolve(statusCode >= 200 && statusCode < 300 ? { ok: true, statusCode } : { ok: false, statusCode, error: `HTTP ${statusCode}` });
        });
        res.on('error', (error) => resolve({ ok: false, statusCode: res.statusCode ?? null, error: error.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.on('error', (error) => resolve({ ok: false, statusCode: null, error: error.message }));
    req.end(request.body);
  });
}
