/** How a lesson created from a draft names it: the LessonCreated reason, read back by the lesson's audit. */

const PREFIX = 'accepted lesson draft ';

export const draftOriginReason = (draftId: string) => `${PREFIX}${draftId}`;

export function draftIdFromReason(reason: string | undefined): string | null {
  return reason?.startsWith(PREFIX) ? reason.slice(PREFIX.length).trim() || null : null;
}
