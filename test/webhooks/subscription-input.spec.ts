import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validateSubscription } from '../../src/webhooks/domain/validate-subscription.js';
import { readWebhooksFile, WebhooksFileError } from '../../src/webhooks/webhooks-file.js';

describe('webhook subscription input', () => {
  it('accepts a valid subscription and gives it an id when none is sent', () => {
    const result = validateSubscription({ url: 'https://hooks.example.com/x', eventTypes: ['LessonStatusChanged'] }, 'api', false);
    expect(result.ok && result.subscription.subscriptionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('names each bad field: URL, unknown or undeliverable event types, private host', () => {
    const problems = (input: object) => {
      const result = validateSubscription(input, 'api', false);
      return result.ok ? [] : result.problems.map((p) => p.field);
    };
    expect(problems({ url: 'ftp://x.example.com', eventTypes: ['LessonStatusChanged'] })).toEqual(['url']);
    expect(problems({ url: 'https://u:p@x.example.com', eventTypes: ['LessonStatusChanged'] })).toEqual(['url']);
    expect(problems({ url: 'https://x.example.com', eventTypes: ['NoSuchEvent', 'WebhookSubscribed'] })).toEqual(['eventTypes.0', 'eventTypes.1']);
    expect(problems({ url: 'https://x.example.com', eventTypes: [] })).toEqual(['eventTypes']);
    expect(problems({ url: 'http://10.0.0.5/hook', eventTypes: ['LessonStatusChanged'] })).toEqual(['url']);
    expect(problems({ url: 'https://x.example.com', eventTypes: ['LessonStatusChanged'], subscriptionId: 'a\u0000b' })).toEqual(['subscriptionId']);
  });
});

describe('the webhooks file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'webhooks-file-'));
  const write = (content: string) => {
    const file = path.join(dir, `w${Math.random()}.json`);
    writeFileSync(file, content);
    return file;
  };

  it('reads its subscriptions with source file', () => {
    const file = write(JSON.stringify({ webhooks: [{ subscriptionId: 'ops', url: 'https://x.example.com/h', eventTypes: ['LessonStatusChanged'] }] }));
    expect(readWebhooksFile(file, false)).toEqual([
      { subscriptionId: 'ops', url: 'https://x.example.com/h', eventTypes: ['LessonStatusChanged'], source: 'file' },
    ]);
  });

  it('refuses a bad file naming the entry and field: no id, bad type, duplicate id, not JSON', () => {
    const entry = { subscriptionId: 'ops', url: 'https://x.example.com/h', eventTypes: ['LessonStatusChanged'] };
    const refusal = (content: string) => {
      try {
        readWebhooksFile(write(content), false);
        return '';
      } catch (error) {
        expect(error).toBeInstanceOf(WebhooksFileError);
        return (error as Error).message;
      }
    };
    expect(refusal(JSON.stringify({ webhooks: [{ url: entry.url, eventTypes: entry.eventTypes }] }))).toMatch(/webhooks\[0\]\.subscriptionId: required/);
    expect(refusal(JSON.stringify({ webhooks: [{ ...entry, eventTypes: ['Nope'] }] }))).toMatch(/webhooks\[0\]\.eventTypes\.0: Nope/);
    expect(refusal(JSON.stringify({ webhooks: [entry, entry] }))).toMatch(/ops appears more than once/);
    expect(refusal('{not json')).toMatch(/Webhooks file/);
    expect(refusal('{}')).toMatch(/webhooks: must be an array/);
  });
});
