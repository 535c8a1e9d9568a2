/**
 * Accept or reject a proposed draft from the page (POST /drafts/:id/accept|reject). They need a token with the
 * write scope, asked for here and sent with that one request only; then the list is read again.
 */
import { post } from '../api.js';
import { h } from '../dom.js';

export function reviewForm(draftId: string): HTMLElement {
  const message = h('p', { class: 'hint', role: 'status', 'data-testid': 'review-message' });
  const token = h('input', { name: 'token', type: 'password', autocomplete: 'off', required: true, size: 16 });
  const reason = h('input', { name: 'reason', placeholder: 'why (to reject)', size: 28 });
  const send = async (action: 'accept' | 'reject') => {
    if (!token.value.trim()) return void (message.textContent = 'A write token is needed.');
    if (action === 'reject' && !reason.value.trim()) return void (message.textContent = 'Say why it is rejected.');
    try {
      const body = action === 'accept' ? {} : { reason: reason.value.trim() };
      await post(`/drafts/${draftId}/${action}`, body, token.value.trim());
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (error) {
      message.textContent = error instanceof Error ? error.message : String(error);
      message.className = 'error';
    }
  };
  const button = (action: 'accept' | 'reject', label: string) => {
    const b = h('button', { type: 'button', 'data-testid': `draft-${action}` }, label);
    b.addEventListener('click', () => void send(action));
    return b;
  };
  return h('div', { 'data-testid': 'draft-review' },
    h('div', { class: 'filters' }, h('label', {}, 'Write token ', token), button('accept', 'Accept as a lesson'), h('label', {}, reason), button('reject', 'Reject')),
    message);
}
