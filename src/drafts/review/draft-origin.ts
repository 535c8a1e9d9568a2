/**
 * Where a lesson that began as a draft came from, for its audit: the draft (id, proposal position, who accepted
 * it), the recurring pattern and its statistics, and the evidence, each outcome and signature event with its
 * global position. Found through the lesson's creation reason (draft-origin-reason.ts); null for other lessons.
 */
import { draftStreamId, type DraftEvidence, type LessonDraftAcceptedData, type LessonDraftProposedData } from '../../../contracts/drafts.js';
import type { RecordedEvent } from '../../../contracts/envelope.js';
import type { LessonCreatedData } from '../../../contracts/lesson.js';
import type { EventStore } from '../../event-store/event-store.port.js';
import { draftIdFromReason } from './draft-origin-reason.js';

export interface DraftOrigin {
  draftId: string;
  proposedAt: string;
  proposalGlobalPosition: string;
  acceptedBy: string | null;
  pattern: LessonDraftProposedData['pattern'];
  statistics: LessonDraftProposedData['statistics'];
  drafter: string;
  evidence: DraftEvidence[];
}

export async function draftOrigin(store: EventStore, lessonEvents: readonly RecordedEvent[]): Promise<DraftOrigin | null> {
  const created = lessonEvents.find((e) => e.type === 'LessonCreated');
  const draftId = draftIdFromReason((created?.data as LessonCreatedData | undefined)?.reason);
  if (draftId === null) return null;
  const events = await store.readStream(draftStreamId(draftId));
  const proposed = events.find((e) => e.type === 'LessonDraftProposed');
  if (!proposed) return null;
  const p = proposed.data as LessonDraftProposedData;
  const accepted = events.find((e) => e.type === 'LessonDraftAccepted');
  return {
    draftId,
    proposedAt: proposed.metadata.occurredAt,
    proposalGlobalPosition: proposed.globalPosition.toString(),
    acceptedBy: accepted ? (accepted.data as LessonDraftAcceptedData).actor : null,
    pattern: p.pattern,
    statistics: p.statistics,
    drafter: p.drafter,
    evidence: p.evidence,
  };
}

export function renderDraftOrigin(origin: DraftOrigin): string[] {
  const s = origin.statistics;
  return [
    '',
    `began as lesson draft ${origin.draftId} (proposed ${origin.proposedAt}, global position ${origin.proposalGlobalPosition}, drafter ${origin.drafter}` +
      `${origin.acceptedBy ? `, accepted by ${origin.acceptedBy}` : ''})`,
    `  pattern: ${origin.pattern.key}`,
    `  ${s.failures} failures in ${s.runs} runs across ${s.models} models; background rate ${s.backgroundRate.toPrecision(3)}, p ${s.pValue.toPrecision(3)}, q ${s.qValue.toPrecision(3)}`,
    `  evidence (${origin.evidence.length} outcomes):`,
    ...origin.evidence.map((e) => `    ${e.occurredAt} run ${e.runId} ${e.model} ${e.test}: outcome ${e.outcomeEventId}@${e.outcomeGlobalPosition}, signatures ${e.signatureEventId}@${e.signatureGlobalPosition}`),
  ];
}
