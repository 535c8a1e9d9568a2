import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isLessonFilePath } from '../../src/lessons/gptme/lesson-file.js';
import { parseLessonFile } from '../../src/lessons/gptme/parse-lesson-file.js';
import { readLessonDirectory } from '../../src/lessons/import/read-lesson-directory.js';
import { MINI_LESSONS } from './support/fixtures.js';

async function parseMini(relative: string) {
  return parseLessonFile(relative, await readFile(path.join(MINI_LESSONS, relative), 'utf8'));
}

describe('parseLessonFile (gptme lesson format)', () => {
  it('reads frontmatter match lists, status, description, extra fields, title and sections', async () => {
    const result = await parseMini('tools/shell-quoting.md');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.lesson).toMatchObject({
      path: 'tools/shell-quoting.md',
      title: 'Quote Shell Paths',
      description: 'Quote paths that may contain spaces in shell commands.',
      category: 'tools',
      match: { keywords: ['path with spaces', 'No such file or directory'], patterns: [], tools: [], sessionCategories: ['code'] },
      status: 'active',
      statusGiven: true,
      targetGrade: null,
      confoundNote: null,
      extraFrontmatter: { tags: ['shell', 'quoting'] },
    });
    expect(result.lesson.body.startsWith('# Quote Shell Paths\n\n## Rule\n')).toBe(true);
    expect(result.lesson.sections).toEqual({
      rule: 'Always quote paths that may contain spaces.',
      context: 'Shell commands built from file names.',
      detection: '- `No such file or directory` for a path that exists',
      pattern: '```bash\n# wrong\ncat $file\n# right\ncat "$file"\n```',
      outcome: 'Commands work for every file name.',
    });
  });

  it('defaults: status active, description from the first paragraph, category from the folder', async () => {
    const result = await parseMini('workflow/commit-format.md');
    if (!result.ok) throw new Error(result.reason);
    expect(result.lesson).toMatchObject({
      title: 'Conventional Commit Messages',
      description: 'Write commit messages as `type(scope): description`.',
      category: 'workflow',
      status: 'active',
      statusGiven: false,
      match: { keywords: ['commit message', 'git commit *'], patterns: ['fix(es)?\\s+#\\d+'], tools: ['shell'] },
      targetGrade: ['productivity', 'alignment'],
      extraFrontmatter: null,
    });
    expect(result.lesson.sections).toEqual({ rule: 'One focused change per commit, described in the conventional format.' });
  });

  it.each([
    ['broken/unclosed.md', 'the frontmatter opened by --- on line 1 is never closed by a --- line'],
    ['broken/bad-yaml.md', 'invalid YAML frontmatter (frontmatter line 3, column 1): Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ['broken/unknown-status.md', 'unknown status "retired" (known: draft, active, automated, deprecated, archived)'],
  ])('refuses %s with the reason', async (file, reason) => {
    expect(await parseMini(file)).toEqual({ ok: false, path: file, reason });
  });

  it.each([
    ['a list as frontmatter', '---\n- a\n- b\n---\n# T\n', 'the frontmatter must be a mapping of fields, not a list'],
    ['match as a list', '---\nmatch: [a]\n---\n# T\n', 'match must be a mapping (keywords, patterns, tools, session_categories), not a list'],
    ['an empty keyword', '---\nmatch:\n  keywords: [a, ""]\n---\n# T\n', 'match.keywords[1] is empty'],
    ['a mapping as a keyword', '---\nmatch:\n  keywords: [{a: 1}]\n---\n# T\n', 'match.keywords[0] must be text, not a mapping'],
    ['a numeric description', '---\ndescription: 12\n---\n# T\n', 'description must be text, not the number 12'],
    ['duplicate keys', '---\nstatus: active\nstatus: archived\n---\n# T\n', 'invalid YAML frontmatter (frontmatter line 2, column 1): Map keys must be unique'],
    ['an infinite number', '---\nweight: .inf\n---\n# T\n', 'weight holds Infinity, which JSON cannot hold'],
  ])('refuses %s', (_name, text, reason) => {
    expect(parseLessonFile('x/y.md', text)).toEqual({ ok: false, path: 'x/y.md', reason });
  });

  it('accepts a file without frontmatter, a single keyword as text, numbers as keywords, CRLF line ends', () => {
    const plain = parseLessonFile('notes.md', 'Just text, no heading.\n', { rootCategory: 'my-lessons' });
    expect(plain).toMatchObject({ ok: true, lesson: { title: 'Untitled', description: null, category: 'my-lessons', status: 'active', body: 'Just text, no heading.' } });
    const crlf = parseLessonFile('a/b.md', '---\r\nmatch:\r\n  keywords: timeout\r\n  tools: [404, shell]\r\n---\r\n\r\n# Title\r\n');
    expect(crlf).toMatchObject({ ok: true, lesson: { title: 'Title', match: { keywords: ['timeout'], tools: ['404', 'shell'] }, body: '# Title' } });
  });

  it('keeps unknown match keys as extra frontmatter', () => {
    const result = parseLessonFile('t/x.md', '---\nmatch:\n  keywords: [a]\n  error_signature: "Exit code 8"\ngenerated_from: {sessions: 3}\n---\n# X\n');
    expect(result).toMatchObject({ ok: true, lesson: { extraFrontmatter: { generated_from: { sessions: 3 }, match: { error_signature: 'Exit code 8' } } } });
  });

  it('headings inside fenced code are not headings', () => {
    const result = parseLessonFile('t/x.md', '```bash\n# not a title\n```\n\n# Real Title\n\n## Rule\nr\n```\n## not a section\n```\n\n## Outcome\no\n');
    expect(result).toMatchObject({ ok: true, lesson: { title: 'Real Title', sections: { rule: 'r\n```\n## not a section\n```', outcome: 'o' } } });
  });
});

describe('which files are lessons', () => {
  it.each([
    ['tools/patch.md', true],
    ['rules.mdc', true],
    ['README.md', false],
    ['tools/readme.md', false],
    ['TODO.md', false],
    ['lesson-template.md', false],
    ['.git/x.md', false],
    ['a/worktree/x.md', false],
    ['notes.txt', false],
  ])('%s -> %s', (file, expected) => {
    expect(isLessonFilePath(file)).toBe(expected);
  });

  it('reads a folder in path order, skipping README.md', async () => {
    const files = await readLessonDirectory(MINI_LESSONS);
    expect(files.map((f) => f.path)).toEqual([
      'broken/bad-yaml.md',
      'broken/unclosed.md',
      'broken/unknown-status.md',
      'tools/shell-quoting.md',
      'workflow/commit-format.md',
    ]);
    expect(Number.isFinite(files[3]!.modifiedAt.getTime())).toBe(true);
  });
});
