import { Logger } from '@nestjs/common';
import type { ImportProgress, ImportProgressState } from '../ingest/import-progress.js';

/** The part of Fastify's reply an NDJSON answer needs: the raw Node response, and hijack (Fastify sends nothing). */
export interface RawReply {
  hijack(): void;
  raw: { writeHead(status: number, headers: Record<string, string>): unknown; write(chunk: string): unknown; end(): unknown };
}

type Write = (line: Record<string, unknown>) => void;

/**
 * Answers 200 with NDJSON at once, runs `work` (which may write progress lines), then writes `{summary}`; a
 * failure `known` says is the client's to fix becomes `{error}` (the status is sent already), anything else
 * `{error}` too, logged with its stack.
 */
export async function streamNdjson(reply: RawReply, work: (write: Write) => Promise<unknown>, known: (error: unknown) => boolean = () => false): Promise<void> {
  reply.hijack();
  reply.raw.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' });
  const write: Write = (line) => void reply.raw.write(`${JSON.stringify(line)}\n`);
  try {
    write({ summary: await work(write) });
  } catch (error) {
    write({ error: error instanceof Error ? error.message : String(error), known: known(error) });
    // The 200 is sent already: an unexpected failure is logged here with its stack instead of by the filters.
    if (!known(error)) new Logger('Imports').error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  } finally {
    reply.raw.end();
  }
}

/** The importer's progress as `{progress}` lines, at most one a second, and the last one. */
export function ndjsonProgress(write: Write, intervalMs = 1_000): ImportProgress {
  let last = 0;
  const send = (state: ImportProgressState) => write({ progress: state });
  return {
    start: (runsTotal) => send({ runsDone: 0, runsTotal, rows: 0, elapsedMs: 0 }),
    update: (state) => {
      if (Date.now() - last < intervalMs) return;
      last = Date.now();
      send(state);
    },
    stop: send,
  };
}
