import type pino from 'pino';

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };

/** One short line for a person at a terminal: time, level, context or request, message, and the error if any. */
export function prettyLine(record: Record<string, unknown>): string {
  const time = new Date(Number(record.time ?? Date.now())).toISOString().slice(11, 23);
  const level = LEVELS[Number(record.level)] ?? String(record.level);
  const context = typeof record.context === 'string' ? `[${record.context}] ` : '';
  const req = record.req as { id?: string } | undefined;
  const request = req?.id ? `${req.id.slice(0, 8)} ` : '';
  const err = record.err as { message?: string; stack?: string } | undefined;
  const detail = err && Number(record.level) >= 50 ? `\n${err.stack ?? err.message ?? ''}` : err?.message ? ` (${err.message})` : '';
  return `${time} ${level} ${request}${context}${String(record.msg ?? '')}${detail}\n`;
}

/** A pino destination writing prettyLine()s to a file descriptor (stdout when a person watches it). */
export function prettyDestination(out: { write(text: string): unknown }): pino.DestinationStream {
  return {
    write(line: string) {
      try {
        out.write(prettyLine(JSON.parse(line) as Record<string, unknown>));
      } catch {
        out.write(line);
      }
    },
  };
}
