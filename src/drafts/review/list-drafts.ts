/**
 * The drafts as a reviewer sees them: each proposal with its review (proposed, accepted with its lesson,
 * rejected with who and why), in the order they were proposed, a page at a time. Read from the log (one pass,
 * keeping only the draft events), so a list right after a detection or a review already shows it.
 */
import type { DraftEvidence, LessonDraftAcceptedData, LessonDraftProposedData, LessonDraftRejectedData } from '../../../contracts/drafts.js';
import type { EventStore } from '../../event-store/event-store.port.js';
import { scanLog } from '../detection/scan-log.js';

export const DRAFT_STATUSES = ['proposed', 'accepted', 'rejected'] as const;
export type DraftStatus = (typeof DRAFT_STATUSES)[number];

export interface DraftView {
  draftId: string;
  status: DraftStatus;
  proposedAt: string;
  globalPosition: string;
  title: string;
  path: string;
  pattern: LessonDraftProposedData['pattern'];
  statistics: LessonDraftProposedData['statistics'];
  keywords: string[];
  drafter: string;
  ruleSet: { id: string; version: number };
  review: { at: string; actor: string; lessonId?: string; reason?: string } | null;
  evidence?: DraftEvidence[];
  file?: string;
}

export interface DraftPage {
  drafts: DraftView[];
  /** Give it as `after` for the next page; null on the last. */
  next: string | null;
  total: number;
}

export interface ListDraftsQuery {
  status?: DraftStatus;
  /** The draftId of the last item of the previous page. */
  after?: string;
  limit: number;
  evidence?: boolean;
}

export async function allDrafts(store: EventStore): Promise<Map<string, DraftView & { proposal: LessonDraftProposedData }>> {
  const out = new Map<string, DraftView & { proposal: LessonDraftProposedData }>();
  for await (const event of scanLog(store)) {
    if (event.type === 'LessonDraftProposed') {
      const p = event.data as LessonDraftProposedData;
      if (out.has(p.draftId)) continue;
      out.set(p.draftId, {
        draftId: p.draftId,
        status: 'proposed',
        proposedAt: event.metadata.occurredAt,
        globalPosition: event.globalPosition.toString(),
        title: p.lesson.title,
        path: p.lesson.path,
        pattern: p.pattern,
        statistics: p.statistics,
        keywords: p.match.keywords,
        drafter: p.drafter,
        ruleSet: { id: p.ruleSetId, version: p.ruleSetVersion },
        review: null,
        proposal: p,
      });
    } else if (event.type === 'LessonDraftAccepted' || event.type === 'LessonDraftRejected') {
      const d = event.data as LessonDraftAcceptedData | LessonDraftRejectedData;
      const view = out.get(d.draftId);
      if (!view || view.review) continue;
      view.status = event.type === 'LessonDraftAccepted' ? 'accepted' : 'rejected';
      view.review = { at: event.metadata.occurredAt, actor: d.actor, ...('lessonId' in d ? { lessonId: d.lessonId } : { reason: d.reason }) };
    }
  }
  return out;
}

export function publicView(view: DraftView & { proposal: LessonDraftProposedData }, withEvidence: boolean): DraftView {
  const { proposal, ...rest } = view;
  return withEvidence ? { ...rest, evidence: proposal.evidence, file: proposal.lesson.file } : rest;
}

export async function listDrafts(store: EventStore, query: ListDraftsQuery): Promise<DraftPage> {
  const views = [...(await allDrafts(store)).values()].filter((v) => query.status === undefined || v.status === query.status);
  const start = query.after === undefined ? 0 : views.findIndex((v) => v.draftId === query.after) + 1;
  const page = views.slice(start, start + query.limit);
  const next = start + query.limit < views.length ? page[page.length - 1]!.draftId : null;
  return { drafts: page.map((v) => publicView(v, query.evidence ?? true)), next, total: views.length };
}
