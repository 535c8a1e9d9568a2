/**
 * Why a gptme log could not be read. Never thrown past the reader: callers record it (e.g. as unknown exposure)
 * and go on with the next outcome.
 */
export const LOG_READ_ERROR_KINDS = ['no-log-root', 'outside-root', 'missing', 'unreadable', 'malformed'] as const;
export type LogReadErrorKind = (typeof LOG_READ_ERROR_KINDS)[number];

export interface LogReadError {
  kind: LogReadErrorKind;
  /** The Log Dir (or file) as named, not as mapped: what the user can look for. */
  path: string;
  /** 1-based line of `conversation.jsonl` for `malformed`; absent for the file as a whole. */
  line?: number;
  /** One sentence naming what is wrong. */
  reason: string;
}

export function logReadError(kind: LogReadErrorKind, path: string, reason: string, line?: number): LogReadError {
  return line === undefined ? { kind, path, reason } : { kind, path, line, reason };
}

export function formatLogReadError(error: LogReadError): string {
  return `${error.path}${error.line === undefined ? '' : `:${error.line}`}: ${error.kind}: ${error.reason}`;
}
