/** The v2 lesson events (contracts/lesson.ts): v1 events stay valid and read unchanged; v2 adds optional fields. */
import { currentVersionOf, upcast, validateNewEvent } from '../../contracts/catalogue.js';
import type { NewEvent } from '../../contracts/envelope.js';

const match = { keywords: ['k'], patterns: [], tools: [], sessionCategories: [] };
const v1Data: Record<string, unknown> = {
  LessonCreated: { lessonId: 'l', title: 'T', category: 'c', body: '', match, status: 'active' },
  LessonEdited: { lessonId: 'l', changes: { title: { from: 'a', to: 'b' } } },
  LessonMatchChanged: { lessonId: 'l', added: match, removed: { ...match, keywords: [] }, decidedBy: 'human' },
  LessonMutated: { lessonId: 'v', parentLessonId: 'l', title: 'T', body: '', match, reason: 'r' },
  LessonMoved: { lessonId: 'l', fromPath: 'a.md', toPath: 'b.md' },
};

function event(type: string, schemaVersion: number, data: unknown): NewEvent {
  return { eventId: '00000000-0000-4000-8000-000000000001', type, schemaVersion, data, metadata: { occurredAt: '2026-01-01T00:00:00Z', source: 'test' } };
}

describe('lesson events v2', () => {
  it.each(Object.keys(v1Data))('%s: v2 is current; a v1 event validates and upcasts to the same data', (type) => {
    expect(currentVersionOf(type as never)).toBe(2);
    const v1 = event(type, 1, v1Data[type]);
    expect(validateNewEvent(v1).data).toEqual(v1Data[type]);
    expect(upcast(v1)).toEqual({ ...v1, schemaVersion: 2 });
  });

  it('v1 refuses the v2 fields; v2 takes them', () => {
    expect(() => validateNewEvent(event('LessonMoved', 1, { ...(v1Data.LessonMoved as object), reason: 'r' }))).toThrow('LessonMoved.data.reason: unknown field');
    expect(() => validateNewEvent(event('LessonMoved', 2, { ...(v1Data.LessonMoved as object), reason: 'r' }))).not.toThrow();
    const edited = { lessonId: 'l', changes: { extraFrontmatter: { from: null, to: { tags: ['x'] } } }, reason: 'tags' };
    expect(() => validateNewEvent(event('LessonEdited', 2, edited))).not.toThrow();
    expect(() => validateNewEvent(event('LessonEdited', 1, edited))).toThrow();
    const variant = { ...(v1Data.LessonMutated as object), category: 'tools', status: 'draft' };
    expect(() => validateNewEvent(event('LessonMutated', 2, variant))).not.toThrow();
    expect(() => validateNewEvent(event('LessonMutated', 2, { ...variant, status: 'retired' }))).toThrow('LessonMutated.data.status');
  });

  it('LessonStatusChanged and LessonDeleted stay at v1 (they always had a reason)', () => {
    expect(currentVersionOf('LessonStatusChanged')).toBe(1);
    expect(currentVersionOf('LessonDeleted')).toBe(1);
  });
});
