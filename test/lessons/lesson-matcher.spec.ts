import { keywordRegExp, matchLessons, patternRegExp, scoreLesson } from '../../src/lessons/domain/lesson-matcher.js';

function lesson(lessonId: string, match: { keywords?: string[]; patterns?: string[]; tools?: string[] }) {
  return { lessonId, match: { keywords: [], patterns: [], tools: [], ...match } };
}

describe('lesson matcher (gptme rules)', () => {
  it('keywords match as case-insensitive substrings', () => {
    expect(scoreLesson(lesson('a', { keywords: ['Path With Spaces'] }), { text: 'the PATH WITH SPACES broke it' })).toEqual({
      score: 1,
      matchedBy: ['keyword:Path With Spaces'],
    });
    expect(scoreLesson(lesson('a', { keywords: ['git'] }), { text: 'digit' }).score).toBe(1);
    expect(scoreLesson(lesson('a', { keywords: ['git push'] }), { text: 'git  push' }).score).toBe(0);
  });

  it('* stands for zero or more word characters, not for spaces or punctuation', () => {
    const killed = lesson('a', { keywords: ['process killed at * seconds'] });
    expect(scoreLesson(killed, { text: 'Process killed at 120 seconds' }).score).toBe(1);
    expect(scoreLesson(killed, { text: 'process killed at  seconds' }).score).toBe(1);
    expect(scoreLesson(killed, { text: 'process killed at 1.5 seconds' }).score).toBe(0);
    expect(keywordRegExp('timeout*')!.test('timeouts')).toBe(true);
    expect(keywordRegExp('naïve*')!.test('NAÏVETÉ')).toBe(true);
  });

  it('other regex characters in keywords are literal', () => {
    expect(scoreLesson(lesson('a', { keywords: ['(x+y)?'] }), { text: 'compute (x+y)? now' }).score).toBe(1);
    expect(scoreLesson(lesson('a', { keywords: ['a.c'] }), { text: 'abc' }).score).toBe(0);
    expect(keywordRegExp('   ')).toBeNull();
  });

  it('patterns are case-insensitive regular expressions; Python named groups work; invalid ones never match', () => {
    expect(scoreLesson(lesson('a', { patterns: ['fix(es)?\\s+#\\d+'] }), { text: 'FIXES #12' }).matchedBy).toEqual(['pattern:fix(es)?\\s+#\\d+']);
    expect(patternRegExp('(?P<word>\\w+) (?P=word)')!.test('the the')).toBe(true);
    expect(patternRegExp('(?i)error')!.test('ERROR')).toBe(true);
    expect(patternRegExp('[unclosed')).toBeNull();
    expect(scoreLesson(lesson('a', { patterns: ['[unclosed'] }), { text: '[unclosed' }).score).toBe(0);
  });

  it('tools match by exact name among the tools used and weigh 2', () => {
    const patch = lesson('patch', { keywords: ['patch'], tools: ['patch', 'morph'] });
    expect(scoreLesson(patch, { text: 'apply a patch', toolsUsed: ['patch', 'shell'] })).toEqual({ score: 3, matchedBy: ['keyword:patch', 'tool:patch'] });
    expect(scoreLesson(patch, { text: 'nothing', toolsUsed: ['Patch'] }).score).toBe(0);
  });

  it('returns only lessons scoring above the threshold, best first, ties by id', () => {
    const lessons = [
      lesson('b', { keywords: ['commit'] }),
      lesson('c', { keywords: ['nothing here'] }),
      lesson('a', { keywords: ['commit'] }),
      lesson('d', { keywords: ['commit', 'push'], tools: ['gh'] }),
    ];
    const results = matchLessons(lessons, { text: 'commit and push', toolsUsed: ['gh'] });
    expect(results.map((r) => [r.lesson.lessonId, r.score])).toEqual([
      ['d', 4],
      ['a', 1],
      ['b', 1],
    ]);
    expect(matchLessons(lessons, { text: 'commit and push', toolsUsed: ['gh'] }, 1).map((r) => r.lesson.lessonId)).toEqual(['d']);
  });
});
