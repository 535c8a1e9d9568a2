/** Lessons named by title: the title links to the lesson, its path shows on hover, a button copies its id. */
import { h, link, seg } from './dom.js';

export interface Named {
  lessonId: string;
  lessonTitle?: string | null;
  lessonPath?: string | null;
}

export function lessonName(l: Named): HTMLElement {
  const hover = [l.lessonPath, l.lessonId].filter(Boolean).join(' · ');
  const copy = h('button', { type: 'button', class: 'copy-id', title: `copy the id ${l.lessonId}`, 'aria-label': `copy the lesson id ${l.lessonId}`, 'data-copy': l.lessonId }, 'id');
  copy.addEventListener('click', (event) => {
    event.preventDefault();
    event.stopPropagation();
    void navigator.clipboard?.writeText(l.lessonId).catch(() => undefined);
  });
  return h('span', { class: 'lesson-name' },
    h('a', { href: link(`/lesson/${seg(l.lessonId)}`), title: hover, 'data-lesson-id': l.lessonId }, l.lessonTitle || l.lessonId), copy);
}
