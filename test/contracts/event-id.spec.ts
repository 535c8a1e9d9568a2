import { z } from 'zod';
import { DNS_NAMESPACE, LESSONLOOP_NAMESPACE, deterministicEventId, uuidV5 } from '../../contracts/event-id.js';

describe('uuid v5', () => {
  it('matches the published vector for www.example.com in the DNS namespace', () => {
    expect(uuidV5('www.example.com', DNS_NAMESPACE)).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it("matches Python's documented uuid5(NAMESPACE_DNS, 'python.org')", () => {
    expect(uuidV5('python.org', DNS_NAMESPACE)).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });

  it('rejects a namespace that is not a uuid', () => {
    expect(() => uuidV5('x', 'not-a-uuid')).toThrow(/namespace/);
  });
});

describe('deterministicEventId', () => {
  it('is stable, a valid v5 uuid, and in the lessonloop namespace', () => {
    const id = deterministicEventId('TestOutcomeRecorded', '20260822_025022Z', 'openai/gpt-4o@tool', 'hello', 0);
    expect(id).toBe(deterministicEventId('TestOutcomeRecorded', '20260822_025022Z', 'openai/gpt-4o@tool', 'hello', 0));
    expect(id[14]).toBe('5');
    expect(z.uuid().safeParse(id).success).toBe(true);
    expect(id).toBe(uuidV5('["TestOutcomeRecorded","20260822_025022Z","openai/gpt-4o@tool","hello",0]', LESSONLOOP_NAMESPACE));
  });

  it('joins parts unambiguously', () => {
    const ids = new Set([
      deterministicEventId('ns', 'a', 'b-c'),
      deterministicEventId('ns', 'a-b', 'c'),
      deterministicEventId('ns', 'a,b', 'c'),
      deterministicEventId('ns', 1),
      deterministicEventId('ns', '1'),
      deterministicEventId('ns', null),
      deterministicEventId('ns', 'null'),
      deterministicEventId('ns'),
      deterministicEventId('other', 1),
    ]);
    expect(ids.size).toBe(9);
  });

  it('refuses parts that JSON would turn into null', () => {
    expect(() => deterministicEventId('ns', Number.NaN)).toThrow(/not finite/);
    expect(() => deterministicEventId('ns', Number.POSITIVE_INFINITY)).toThrow(/not finite/);
    expect(() => deterministicEventId('ns', undefined as unknown as null)).toThrow(/undefined/);
  });
});
