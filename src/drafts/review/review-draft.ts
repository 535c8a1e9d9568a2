/**
 * Reviewing a lesson draft. Accept creates the lesson through the lesson decider (status `draft`, the draft's
 * file as title, body and `match.keywords`, its id the one `import lessons` gives the draft's path, so exporting
 * the file and importing it later finds the same lesson), then records LessonDraftAccepted naming it. The
 * lesson's creation reason names the draft, which is how its audit reaches back to the evidence. Accepting again
 * finds the lesson it created and records nothing new. Reject records who and why.
 */
import { draftStreamId, type LessonDraftProposedData } from '../../../contracts/drafts.js';
import type { EventMetadata, RecordedEvent } from '../../../contracts/envelope.js';
import type { LessonCreatedData } from '../../../contracts/lesson.js';
import type { EvolvingEvent } from '../../common/commands/decider.js';
import { handleCommand } from '../../common/commands/handle-command.js';
import type { EventStore } from '../../event-store/event-store.port.js';
import type { CreateLesson } from '../../lessons/domain/lesson-commands.js';
import { lessonDecider } from '../../lessons/domain/lesson-decider.js';
import { firstFreeLessonId } from '../../lessons/domain/lesson-ids.js';
import { lessonStreamId } from '../../lessons/domain/lesson-stream.js';
import { draftOriginReason } from './draft-origin-reason.js';
import { DraftAlreadyReviewedError, draftDecider, DraftNotFoundError, type DraftEvent, type DraftState } from './draft-decider.js';

export async function readDraft(store: EventStore, draftId: string): Promise<DraftState> {
  const events = await store.readStream(draftStreamId(draftId));
  return events.reduce((s, e) => draftDecider.evolve(s, e as unknown as EvolvingEvent<DraftEvent>), draftDecider.initialState());
}

function createCommand(draftId: string, lessonId: string, proposal: LessonDraftProposedData): CreateLesson {
  return {
    kind: 'create',
    lessonId,
    path: proposal.lesson.path,
    title: proposal.lesson.title,
    category: proposal.lesson.category,
    body: proposal.lesson.body,
    match: { keywords: proposal.match.keywords },
    status: 'draft',
    reason: draftOriginReason(draftId),
  };
}

const createdFrom = (events: readonly RecordedEvent[], draftId: string) =>
  events.some((e) => e.type === 'LessonCreated' && (e.data as LessonCreatedData).reason === draftOriginReason(draftId));

export async function acceptDraft(store: EventStore, draftId: string, metadata: EventMetadata & { actor: string }): Promise<{ lessonId: string; created: boolean }> {
  const state = await readDraft(store, draftId);
  if (!state.proposal) throw new DraftNotFoundError(draftId);
  if (state.review?.status === 'accepted') return { lessonId: state.review.lessonId, created: false };
  if (state.review) throw new DraftAlreadyReviewedError(draftId, state.review.status);
  let ours = false;
  const lessonId = await firstFreeLessonId(state.proposal.lesson.path, async (id) => {
    const events = await store.readStream(lessonStreamId(id));
    if (events.length === 0) return false;
    ours = createdFrom(events, draftId);
    return !ours;
  });
  if (!ours) await handleCommand(store, lessonStreamId(lessonId), createCommand(draftId, lessonId, state.proposal), lessonDecider, { metadata });
  await handleCommand(store, draftStreamId(draftId), { kind: 'accept', draftId, lessonId, actor: metadata.actor }, draftDecider, { metadata });
  return { lessonId, created: !ours };
}

export async function rejectDraft(store: EventStore, draftId: string, reason: string, metadata: EventMetadata & { actor: string }): Promise<void> {
  await handleCommand(store, draftStreamId(draftId), { kind: 'reject', draftId, actor: metadata.actor, reason }, draftDecider, { metadata });
}
