/** One draft opened from the queue (GET /drafts/:id): its pattern, keywords, review, evidence and lesson file. */
import { get } from '../api.js';
import { h, link, minute, seg } from '../dom.js';
import type { Draft } from '../types-review.js';
import { table } from './common.js';
import type { Detail } from './expand.js';
import { reviewForm } from './draft-review.js';

function review(d: Draft): string {
  if (!d.review) return 'not reviewed yet';
  const what = d.status === 'accepted' ? `accepted as lesson ${d.review.lessonId ?? ''}` : `rejected: ${d.review.reason ?? ''}`;
  return `${what} (${d.review.actor}, ${minute(d.review.at)})`;
}

export async function draftDetail(draftId: string): Promise<Detail> {
  const d = await get<Draft>(`/drafts/${seg(draftId)}`);
  const evidence = d.evidence ?? [];
  const facts: [string, Node | string][] = [
    ['signature', h('code', {}, d.pattern.signature)], ['example', h('code', {}, d.pattern.exemplar)],
    ['tests', d.pattern.tests.join(', ')], ['models', d.pattern.models.join(', ')], ['keywords', d.keywords.join(', ')],
    ['seen', `${minute(d.pattern.firstSeen)} to ${minute(d.pattern.lastSeen)}`], ['drafter', `${d.drafter}, rule set ${d.ruleSet.id} v${d.ruleSet.version}`],
    ['review', h('span', { 'data-testid': 'draft-review-state' }, review(d))],
  ];
  const rows = evidence.map((e) => [h('a', { href: link(`/runs/${seg(e.runId)}`, { model: e.model, test: e.test }), 'data-outcome': e.outcomeEventId }, e.runId), e.test, e.model, minute(e.occurredAt)]);
  const el = h('div', { 'data-testid': 'draft-detail' },
    h('dl', { class: 'facts' }, ...facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    d.status === 'proposed' ? reviewForm(d.draftId) : '',
    h('h4', {}, `Evidence: ${evidence.length} failing outcome(s)`),
    h('div', { class: 'scroll-box' }, table(['Run', 'Test', 'Model', 'When'], rows, { class: 'compact', 'data-testid': 'draft-evidence' })),
    h('details', {}, h('summary', {}, `The lesson file (${d.path})`), h('pre', { class: 'file', 'data-testid': 'draft-file' }, d.file ?? '')));
  return { el };
}
