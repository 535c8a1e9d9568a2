/** What the drafts routes and CLI ask: detect, list, show, accept, reject (run-detection.ts, review-draft.ts, list-drafts.ts). */
import type { EventStore } from '../event-store/event-store.port.js';
import { apiMetadata } from '../common/commands/api-metadata.js';
import { runDraftDetection, type DetectionAnswer, type DetectionRequest } from './detection/run-detection.js';
import type { DrafterConfig } from './drafter/configured-drafter.js';
import { acceptDraft, rejectDraft } from './review/review-draft.js';
import { allDrafts, listDrafts, publicView, type DraftView, type ListDraftsQuery } from './review/list-drafts.js';

export class DraftsService {
  constructor(
    private readonly store: EventStore,
    private readonly drafterConfig: DrafterConfig,
  ) {}

  detect(request: DetectionRequest): Promise<DetectionAnswer> {
    return runDraftDetection(this.store, this.drafterConfig, request);
  }

  list(query: ListDraftsQuery) {
    return listDrafts(this.store, query);
  }

  async show(draftId: string): Promise<DraftView | null> {
    const view = (await allDrafts(this.store)).get(draftId);
    return view ? publicView(view, true) : null;
  }

  async accept(draftId: string, actor: string, source = 'api') {
    const result = await acceptDraft(this.store, draftId, { ...apiMetadata(actor), source, actor });
    return { draftId, ...result };
  }

  async reject(draftId: string, reason: string, actor: string, source = 'api') {
    await rejectDraft(this.store, draftId, reason, { ...apiMetadata(actor), source, actor });
    return { draftId, status: 'rejected' as const, actor, reason };
  }
}
