/**
 * The OpenAI-compatible drafter (official `openai` package) against a local stand-in chat server: what it sends,
 * how the answer becomes a draft in gptme's lesson format, the clear error for a bad answer or a failing server,
 * and the configuration that turns it on (off unless both base URL and model are set).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { newEvent } from '../../contracts/catalogue.js';
import type { DetectedPattern } from '../../projections/drafts/detect-patterns.js';
import { draftProposal } from '../../src/drafts/domain/draft-proposal.js';
import { configuredDrafter } from '../../src/drafts/drafter/configured-drafter.js';
import { DrafterError, OpenAiDrafter } from '../../src/drafts/drafter/openai-drafter.js';
import { TemplateDrafter } from '../../src/drafts/drafter/template-drafter.js';

const failure = (i: number) => ({
  outcome: { eventId: `00000000-0000-5000-8000-00000000000${i}`, globalPosition: String(10 + i), runId: `run-${i}`, test: 'json-parse-1', model: `m${i}`, occurredAt: '2026-03-0' + (i + 1) + 'T00:00:00.000Z', timeMs: 0, passed: false, suspectedInfraError: false },
  family: 'json-parse',
  signature: { kind: 'exception' as const, key: 'ValueError: unexpected token at offset <n>', excerpt: `ValueError: unexpected token at offset ${i}`, message: 2 },
  signatureEventId: `00000000-0000-5000-9000-00000000000${i}`,
  signatureGlobalPosition: String(20 + i),
});
const PATTERN: DetectedPattern = {
  key: 'exception|ValueError: unexpected token at offset <n>|json-parse',
  kind: 'exception',
  signature: 'ValueError: unexpected token at offset <n>',
  family: 'json-parse',
  exemplar: 'ValueError: unexpected token at offset 1',
  tests: ['json-parse-1'],
  models: ['m1', 'm2', 'm3'],
  runs: 3,
  failures: 3,
  firstSeen: '2026-03-02T00:00:00.000Z',
  lastSeen: '2026-03-04T00:00:00.000Z',
  evidence: [1, 2, 3].map(failure),
  training: { from: '2026-02-26T00:00:00.000Z', to: '2026-03-12T00:00:00.000Z', failures: [1, 2, 3].map(failure) },
  statistics: { familyOutcomes: 12, backgroundRate: 0, pValue: 0.001, qValue: 0.002 },
};
const KEYWORDS = { keywords: ['unexpected token at offset'], failingMatched: 1, passingMatched: 0, passingLogs: 20 };

interface Seen {
  url: string;
  authorization: string | undefined;
  body: { model: string; temperature: number; messages: { role: string; content: string }[] };
}

describe('the OpenAI-compatible drafter', () => {
  let server: Server;
  let baseURL: string;
  const seen: Seen[] = [];
  let answer: (n: number) => { status: number; content: string } = () => ({ status: 200, content: '' });

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c) => (body += String(c)));
      req.on('end', () => {
        seen.push({ url: req.url ?? '', authorization: req.headers.authorization, body: JSON.parse(body) });
        const { status, content } = answer(seen.length);
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(
          status === 200
            ? JSON.stringify({ id: 'c1', object: 'chat.completion', created: 0, model: 'stand-in', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }] })
            : JSON.stringify({ error: { message: 'stand-in is down', type: 'server_error' } }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => (seen.length = 0));

  it('asks the chat endpoint with the pattern and puts its prose into a valid draft in gptme format', async () => {
    const prose = { title: 'Validate JSON before parsing it', rule: 'Check the payload with a strict parser first.', context: 'json-parse tasks fail on malformed payloads.' };
    answer = () => ({ status: 200, content: `Here it is:\n${JSON.stringify(prose)}` });
    const drafter = new OpenAiDrafter({ baseURL, model: 'stand-in-1', apiKey: 'sk-local' });
    expect(drafter.name).toBe('openai:stand-in-1');
    expect(await drafter.draft({ pattern: PATTERN, keywords: KEYWORDS })).toEqual(prose);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ url: '/v1/chat/completions', authorization: 'Bearer sk-local', body: { model: 'stand-in-1', temperature: 0 } });
    const user = JSON.parse(seen[0]!.body.messages.find((m) => m.role === 'user')!.content);
    expect(user).toMatchObject({ testFamily: 'json-parse', signature: PATTERN.signature, keywords: KEYWORDS.keywords });
    const proposal = draftProposal(PATTERN, KEYWORDS, await drafter.draft({ pattern: PATTERN, keywords: KEYWORDS }), drafter.name, { id: 'default', version: 0 });
    expect(() => newEvent('LessonDraftProposed', proposal, { occurredAt: PATTERN.lastSeen, source: 'test' }, proposal.draftId)).not.toThrow();
    expect(proposal.drafter).toBe('openai:stand-in-1');
    expect(proposal.lesson.file).toMatch(/^---\nmatch:\n {2}keywords:\n {4}- unexpected token at offset\nstatus: draft\n---\n# Validate JSON before parsing it\n/);
    expect(proposal.lesson.body).toMatch(/## Rule\nCheck the payload with a strict parser first\.[\s\S]*## Detection[\s\S]*## Evidence/);
  });

  it('answers a reply without the JSON object, or a failing server, with a clear DrafterError', async () => {
    const drafter = new OpenAiDrafter({ baseURL, model: 'stand-in-1' });
    answer = () => ({ status: 200, content: 'I would rather not.' });
    await expect(drafter.draft({ pattern: PATTERN, keywords: KEYWORDS })).rejects.toThrow(new DrafterError(`the drafter at ${baseURL} (model stand-in-1) did not answer a JSON object with title, rule and context`));
    answer = () => ({ status: 200, content: '{"title": "x"}' });
    await expect(drafter.draft({ pattern: PATTERN, keywords: KEYWORDS })).rejects.toBeInstanceOf(DrafterError);
    answer = () => ({ status: 500, content: '' });
    await expect(drafter.draft({ pattern: PATTERN, keywords: KEYWORDS })).rejects.toThrow(/^the drafter at .* \(model stand-in-1\) failed: 500/);
  });

  it('is off unless both base URL and model are configured; one alone is refused', () => {
    const base = { LESSONLOOP_DRAFTER_TIMEOUT_MS: 1000 };
    expect(configuredDrafter(base)).toBeInstanceOf(TemplateDrafter);
    expect(configuredDrafter({ ...base, LESSONLOOP_DRAFTER_BASE_URL: baseURL, LESSONLOOP_DRAFTER_MODEL: 'm' }).name).toBe('openai:m');
    expect(() => configuredDrafter({ ...base, LESSONLOOP_DRAFTER_MODEL: 'm' })).toThrow(/set both LESSONLOOP_DRAFTER_BASE_URL and LESSONLOOP_DRAFTER_MODEL/);
  });
});
