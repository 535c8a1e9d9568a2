/**
 * What a failing outcome's gptme log says went wrong, as a FailureSignaturesRecorded: the signatures of its
 * `conversation.jsonl` (read through the one log reader, so never a path outside LESSONLOOP_LOG_ROOT), or the
 * reader's error when the log is missing, unreadable, outside the root or malformed. A malformed log yields no
 * signature at all: nothing of a half-read log is kept.
 */
import type { RecordedEvent } from '../../../contracts/envelope.js';
import type { TestOutcomeRecordedData } from '../../../contracts/eval.js';
import type { FailureSignaturesRecordedData } from '../../../contracts/drafts.js';
import { extractSignatures, SIGNATURE_EXTRACTOR_VERSION } from '../../../projections/drafts/signatures.js';
import { formatLogReadError, readConversation, type LogRoot } from '../../gptme-logs/index.js';

/** Whether an outcome's log is worth reading for signatures: a real failure that names its log dir. */
export function wantsSignatures(data: TestOutcomeRecordedData): boolean {
  return !data.passed && !data.suspectedInfraError && typeof data.logDir === 'string' && data.logDir !== '';
}

export function outcomeSnapshot(event: RecordedEvent): FailureSignaturesRecordedData['outcome'] {
  const d = event.data as TestOutcomeRecordedData;
  return {
    eventId: event.eventId,
    globalPosition: event.globalPosition.toString(),
    runId: d.runId,
    test: d.test,
    model: d.model,
    passed: d.passed,
    suspectedInfraError: d.suspectedInfraError,
  };
}

export async function readOutcomeSignatures(root: LogRoot, event: RecordedEvent): Promise<FailureSignaturesRecordedData> {
  const d = event.data as TestOutcomeRecordedData;
  const base = { outcome: outcomeSnapshot(event), occurredAt: event.metadata.occurredAt, logDir: d.logDir ?? '', extractor: SIGNATURE_EXTRACTOR_VERSION };
  const read = await readConversation(root, d.logDir ?? '');
  if (!read.ok) {
    const { error } = read;
    return {
      ...base,
      read: error.kind,
      readError: formatLogReadError(error).slice(0, 2000),
      ...(error.line !== undefined ? { line: error.line } : {}),
      signatures: [],
    };
  }
  const extracted = extractSignatures(read.messages);
  return { ...base, read: 'ok', signatures: extracted.signatures, steps: extracted.steps };
}
