import { PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import { RunRejectedError } from './intake/run-problem.js';

/** The request as the handler gets it: the body stream is still unread (raw-body-types.ts). */
export interface RawRequest {
  headers: Record<string, string | string[] | undefined>;
  raw: AsyncIterable<Buffer | string>;
}

export const CSV_CONTENT_TYPES = ['text/csv', 'text/plain', 'application/octet-stream'];
export const MAX_CSV_BYTES = 32 * 1024 * 1024;

/**
 * Reads a CSV request body. Done in the handler (after the auth guard), not in a middleware, so an
 * unauthenticated client cannot make the server buffer a large body.
 */
export async function readCsvBody(request: RawRequest, maxBytes = MAX_CSV_BYTES): Promise<string> {
  const type = String(request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!CSV_CONTENT_TYPES.includes(type)) {
    throw new UnsupportedMediaTypeException(`Send the eval_results.csv as Content-Type: text/csv (got ${type || 'none'})`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request.raw) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > maxBytes) throw new PayloadTooLargeException(`The CSV body is larger than ${maxBytes} bytes`);
    chunks.push(buffer);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new RunRejectedError([{ row: null, field: null, reason: 'the body is not valid UTF-8' }]);
  }
}
