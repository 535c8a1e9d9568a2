/**
 * gptme's `conversation.jsonl` (facts from gptme's Message.to_dict): one JSON object per line, one line per
 * message, in conversation order. Each has `role` (`system`, `user` or `assistant`), `content` (a string) and
 * `timestamp` (Python's isoformat, usually without a zone); optional `pinned`, `hide`, `ui_only` (true when
 * set), `files` (strings), `call_id` and `metadata`. Unknown keys are ignored (newer gptme versions add some).
 * Pure: parses text already read.
 */
import { logReadError, type LogReadError } from './log-read-error.js';

export const GPTME_ROLES = ['system', 'user', 'assistant'] as const;
export type GptmeRole = (typeof GPTME_ROLES)[number];

export interface GptmeMessage {
  /** 0-based position in the conversation. */
  index: number;
  /** 1-based line of the file. */
  line: number;
  role: GptmeRole;
  content: string;
  /** As written (gptme writes local time without a zone); not interpreted. */
  timestamp: string;
  hide: boolean;
  pinned: boolean;
  files: string[];
  callId?: string;
}

export type ConversationParse = { ok: true; messages: GptmeMessage[] } | { ok: false; error: LogReadError };

/** Parses the whole file; the first bad line makes the whole log malformed (a half-read log is never used). */
export function parseConversationJsonl(text: string, file: string): ConversationParse {
  const messages: GptmeMessage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '');
    if (raw.trim() === '') continue;
    const parsed = parseMessageLine(raw);
    if (typeof parsed === 'string') return { ok: false, error: logReadError('malformed', file, parsed, i + 1) };
    messages.push({ ...parsed, index: messages.length, line: i + 1 });
  }
  return { ok: true, messages };
}

type LineMessage = Omit<GptmeMessage, 'index' | 'line'>;

/** The message on one line, or what is wrong with it. */
function parseMessageLine(raw: string): LineMessage | string {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    return `not JSON (${error instanceof Error ? error.message : String(error)})`;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
  const o = value as Record<string, unknown>;
  if (!GPTME_ROLES.includes(o.role as GptmeRole)) return `role must be one of ${GPTME_ROLES.join(', ')} (got ${JSON.stringify(o.role)})`;
  if (typeof o.content !== 'string') return 'content must be a string';
  if (typeof o.timestamp !== 'string' || o.timestamp === '') return 'timestamp must be a non-empty string';
  for (const flag of ['hide', 'pinned'] as const) {
    if (o[flag] !== undefined && typeof o[flag] !== 'boolean') return `${flag} must be true or false`;
  }
  if (o.files !== undefined && (!Array.isArray(o.files) || o.files.some((f) => typeof f !== 'string'))) return 'files must be a list of strings';
  if (o.call_id !== undefined && o.call_id !== null && typeof o.call_id !== 'string') return 'call_id must be a string';
  const message: LineMessage = {
    role: o.role as GptmeRole,
    content: o.content,
    timestamp: o.timestamp,
    hide: o.hide === true,
    pinned: o.pinned === true,
    files: (o.files as string[] | undefined) ?? [],
  };
  if (typeof o.call_id === 'string') message.callId = o.call_id;
  return message;
}
