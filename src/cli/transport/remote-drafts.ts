/** `lessonloop drafts ...` through a running server's HTTP API (POST /drafts/detect, GET /drafts, /drafts/:id, accept, reject). */
import type { DetectionAnswer, DetectionRequest } from '../../drafts/detection/run-detection.js';
import type { DraftPage, DraftStatus, DraftView } from '../../drafts/review/list-drafts.js';
import type { ServerClient } from './server-client.js';

const PAGE = 200;

export function remoteDetect(client: ServerClient, request: Omit<DetectionRequest, 'logRoot'> & { logRoot?: string }): Promise<DetectionAnswer> {
  return client.send<DetectionAnswer>('POST', '/drafts/detect', request);
}

/** Every draft (of `status`, when given), following the `after` cursor page by page. */
export async function remoteDrafts(client: ServerClient, status: DraftStatus | undefined, evidence: boolean): Promise<DraftView[]> {
  const drafts: DraftView[] = [];
  for (let after: string | null | undefined; after !== null; ) {
    const page = await client.get<DraftPage>('/drafts', { status, after: after ?? undefined, limit: PAGE, evidence });
    drafts.push(...page.drafts);
    after = page.next;
  }
  return drafts;
}

export function remoteDraft(client: ServerClient, draftId: string): Promise<DraftView> {
  return client.get<DraftView>(`/drafts/${encodeURIComponent(draftId)}`);
}

export function remoteAccept(client: ServerClient, draftId: string): Promise<{ draftId: string; lessonId: string; created: boolean }> {
  return client.send('POST', `/drafts/${encodeURIComponent(draftId)}/accept`, {});
}

export function remoteReject(client: ServerClient, draftId: string, reason: string): Promise<unknown> {
  return client.send('POST', `/drafts/${encodeURIComponent(draftId)}/reject`, { reason });
}
