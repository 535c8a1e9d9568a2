/** The shared gptme log reader: the path rule, the root boundary, conversation.jsonl and `# Relevant Lessons`. */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  lessonInjections,
  lessonPathsIn,
  mapLessonPath,
  messagesBeforeInjection,
  openLogRoot,
  parseConversationJsonl,
  readConversation,
  readLogText,
  trailingSuffixes,
  type LogRoot,
} from '../../src/gptme-logs/index.js';

const line = (o: object) => JSON.stringify(o);
const lessonsMessage = (paths: string[]) =>
  `# Relevant Lessons\n${paths.map((p) => `\n## T\n\n*Path: ${p}*\n\n*Category: tools*\n\n*Matched by: keyword:x*\n\nbody\n`).join('')}`;
const conversation = [
  line({ role: 'system', content: 'You are gptme', timestamp: '2025-10-10T02:00:00.000001', pinned: true }),
  line({ role: 'user', content: 'write hello.py using patch', timestamp: '2025-10-10T02:00:01' }),
  line({ role: 'system', content: lessonsMessage(['/home/bob/gptme-contrib/lessons/tools/patch.md', '/home/bob/lessons/git.md']), timestamp: '2025-10-10T02:00:01', hide: true }),
  line({ role: 'assistant', content: 'ok', timestamp: '2025-10-10T02:00:02', metadata: { model: 'm' }, call_id: 'c1', future_key: 1 }),
  line({ role: 'system', content: lessonsMessage(['/home/bob/lessons/shell.md']), timestamp: '2025-10-10T02:00:03', hide: true }),
  '',
].join('\n');

describe('the path rule (trailing components, longest first)', () => {
  it('tries every trailing suffix and refuses . and .. components', () => {
    expect(trailingSuffixes('/home/a/logs/x')).toEqual(['home/a/logs/x', 'a/logs/x', 'logs/x', 'x']);
    expect(trailingSuffixes('C:\\Users\\a\\logs\\x')).toEqual(['Users/a/logs/x', 'a/logs/x', 'logs/x', 'x']);
    expect(trailingSuffixes('/home/a/../../etc')).toEqual([]);
    expect(trailingSuffixes('./x')).toEqual([]);
  });

  it('maps a lesson path to the longest known suffix, else keeps the part after the last lessons folder', () => {
    const known = new Set(['tools/patch.md', 'patch.md']);
    expect(mapLessonPath('/home/bob/gptme-contrib/lessons/tools/patch.md', (p) => known.has(p))).toEqual({ known: true, path: 'tools/patch.md' });
    expect(mapLessonPath('/home/bob/lessons/workflow/new.md', (p) => known.has(p))).toEqual({ known: false, path: 'workflow/new.md' });
    expect(mapLessonPath('/srv/x/y/z.md', () => false)).toEqual({ known: false, path: 'y/z.md' });
    expect(mapLessonPath('/srv/../z.md', () => true)).toBeNull();
  });
});

describe('conversation.jsonl', () => {
  it('parses messages with their flags, ignoring unknown keys and blank lines', () => {
    const parsed = parseConversationJsonl(conversation, 'c.jsonl');
    if (!parsed.ok) throw new Error(parsed.error.reason);
    expect(parsed.messages.map((m) => [m.index, m.line, m.role, m.hide, m.pinned])).toEqual([
      [0, 1, 'system', false, true],
      [1, 2, 'user', false, false],
      [2, 3, 'system', true, false],
      [3, 4, 'assistant', false, false],
      [4, 5, 'system', true, false],
    ]);
    expect(parsed.messages[3]).toMatchObject({ callId: 'c1', timestamp: '2025-10-10T02:00:02' });
  });

  it.each([
    ['{"role":"user"', 'not JSON'],
    ['[1]', 'not a JSON object'],
    ['{"role":"tool","content":"x","timestamp":"t"}', 'role must be one of system, user, assistant'],
    ['{"role":"user","content":1,"timestamp":"t"}', 'content must be a string'],
    ['{"role":"user","content":"x"}', 'timestamp must be a non-empty string'],
    ['{"role":"user","content":"x","timestamp":"t","hide":"yes"}', 'hide must be true or false'],
  ])('names the malformed line: %s', (bad, reason) => {
    const parsed = parseConversationJsonl(`${line({ role: 'user', content: 'a', timestamp: 't' })}\n${bad}\n`, 'c.jsonl');
    expect(parsed).toEqual({ ok: false, error: { kind: 'malformed', path: 'c.jsonl', line: 2, reason: expect.stringContaining(reason) } });
  });

  it('finds each # Relevant Lessons batch and the messages before the first one', () => {
    const parsed = parseConversationJsonl(conversation, 'c.jsonl');
    if (!parsed.ok) throw new Error(parsed.error.reason);
    expect(lessonInjections(parsed.messages)).toEqual([
      { messageIndex: 2, paths: ['/home/bob/gptme-contrib/lessons/tools/patch.md', '/home/bob/lessons/git.md'] },
      { messageIndex: 4, paths: ['/home/bob/lessons/shell.md'] },
    ]);
    expect(messagesBeforeInjection(parsed.messages).map((m) => m.index)).toEqual([0, 1]);
    expect(lessonPathsIn('*Path: a.md*\n *Path: b.md*\n*Path: c.md* \n*Path: d.md*')).toEqual(['a.md', 'd.md']);
  });
});

describe('reading under the log root', () => {
  let tmp: string;
  let root: LogRoot;
  const foreign = (name: string) => `/home/appuser/.local/share/gptme/logs/${name}`;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'lessonloop-logs-'));
    const logs = path.join(tmp, 'root', 'logs');
    await mkdir(path.join(logs, 'good'), { recursive: true });
    await writeFile(path.join(logs, 'good', 'conversation.jsonl'), conversation);
    await mkdir(path.join(tmp, 'root', 'flat'), { recursive: true });
    await writeFile(path.join(tmp, 'root', 'flat', 'conversation.jsonl'), conversation);
    await mkdir(path.join(logs, 'bad'));
    await writeFile(path.join(logs, 'bad', 'conversation.jsonl'), '{"role":"user","content":"x","timestamp":"t"}\nnot json\n');
    await mkdir(path.join(logs, 'binary'));
    await writeFile(path.join(logs, 'binary', 'conversation.jsonl'), Buffer.from([0xff, 0xfe, 0x00]));
    await mkdir(path.join(logs, 'empty-dir'));
    await mkdir(path.join(tmp, 'outside'));
    await writeFile(path.join(tmp, 'outside', 'conversation.jsonl'), conversation);
    await symlink(path.join(tmp, 'outside'), path.join(logs, 'escape'));
    await mkdir(path.join(logs, 'file-escape'));
    await symlink(path.join(tmp, 'outside', 'conversation.jsonl'), path.join(logs, 'file-escape', 'conversation.jsonl'));
    const opened = await openLogRoot(path.join(tmp, 'root'));
    if (!opened.ok) throw new Error(opened.error.reason);
    root = opened.root;
  });
  afterAll(() => rm(tmp, { recursive: true, force: true }));

  it('maps another machine\'s Log Dir by its trailing components, however deep the copy sits', async () => {
    const nested = await readConversation(root, foreign('good'));
    expect(nested.ok && nested.messages).toHaveLength(5);
    const flat = await readConversation(root, foreign('flat'));
    expect(flat.ok && flat.file).toBe(path.join(root.real, 'flat', 'conversation.jsonl'));
  });

  it.each([
    ['bad', 'malformed', 2],
    ['binary', 'unreadable', undefined],
    ['empty-dir', 'missing', undefined],
    ['never-copied', 'missing', undefined],
    ['escape', 'outside-root', undefined],
    ['file-escape', 'outside-root', undefined],
  ])('%s: %s, as a value naming the Log Dir', async (name, kind, lineNo) => {
    const read = await readConversation(root, foreign(name));
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.error.kind).toBe(kind);
    expect(read.error.line).toBe(lineNo);
    expect(read.error.path.startsWith(foreign(name))).toBe(true);
  });

  it('never climbs out: .. in a Log Dir or a file name is refused before any read', async () => {
    const dots = await readConversation(root, `/x/logs/../../outside`);
    expect(!dots.ok && dots.error.kind).toBe('outside-root');
    const name = await readLogText(root, foreign('good'), '../flat/conversation.jsonl');
    expect(!name.ok && name.error.kind).toBe('outside-root');
  });

  it('reads nothing without a configured root', async () => {
    expect(await openLogRoot(undefined)).toEqual({ ok: false, error: expect.objectContaining({ kind: 'no-log-root' }) });
    const notDir = await openLogRoot(path.join(tmp, 'outside', 'conversation.jsonl'));
    expect(!notDir.ok && notDir.error.kind).toBe('no-log-root');
  });
});
