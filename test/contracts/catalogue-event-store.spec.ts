/** The wrapper alone, over a tiny in-memory fake (the real stores have their own specs). */
import { EventValidationError } from '../../contracts/catalogue.js';
import type { NewEvent, Position, RecordedEvent } from '../../contracts/envelope.js';
import type {
  AllSubscription,
  AppendResult,
  EventStore,
  StreamAppend,
  SubscriptionMessage,
} from '../../src/event-store/event-store.port.js';
import { withCatalogue } from '../../src/event-store/catalogue-event-store.js';
import { metadata, outcomeV1, outcomeV2 } from './fixtures.js';

class FakeStore implements EventStore {
  readonly kind = 'pglite' as const;
  readonly events: RecordedEvent[] = [];
  appendCalls = 0;
  lastAppendMany: StreamAppend[] = [];
  closedSubscriptions = 0;

  private record(streamId: string, event: NewEvent): RecordedEvent {
    const revision = BigInt(this.events.filter((e) => e.streamId === streamId).length);
    const position: Position = { commit: 1n, prepare: BigInt(this.events.length) };
    const recorded = { ...event, streamId, streamRevision: revision, position, globalPosition: BigInt(this.events.length + 1), recordedAt: new Date() };
    this.events.push(recorded);
    return recorded;
  }

  private result(last: RecordedEvent, appended: number): AppendResult {
    return { nextExpectedRevision: last.streamRevision, position: last.position, globalPosition: last.globalPosition, appended };
  }

  async appendToStream(streamId: string, events: NewEvent[]): Promise<AppendResult> {
    this.appendCalls++;
    const recorded = events.map((e) => this.record(streamId, e));
    return this.result(recorded[recorded.length - 1]!, recorded.length);
  }

  async appendMany(appends: StreamAppend[]): Promise<AppendResult[]> {
    this.appendCalls++;
    this.lastAppendMany = appends;
    return appends.map((a) => {
      const recorded = a.events.map((e) => this.record(a.streamId, e));
      return this.result(recorded[recorded.length - 1]!, recorded.length);
    });
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    return this.events.filter((e) => e.streamId === streamId);
  }

  async readAll(): Promise<RecordedEvent[]> {
    return [...this.events];
  }

  subscribeToAll(): AllSubscription {
    const batches: SubscriptionMessage[] = [
      { kind: 'events', events: [...this.events] },
      { kind: 'caught-up', position: this.events.at(-1)?.position ?? null },
    ];
    const store = this;
    return {
      async close() {
        store.closedSubscriptions++;
      },
      async *[Symbol.asyncIterator]() {
        try {
          yield* batches;
        } finally {
          store.closedSubscriptions++;
        }
      },
    };
  }

  async headPosition(): Promise<Position | null> {
    return this.events.at(-1)?.position ?? null;
  }

  async countAfter(): Promise<number> {
    return this.events.length;
  }

  async close(): Promise<void> {}
}

let seq = 0;
function uuid(): string {
  seq++;
  return `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`;
}

function outcome(data: unknown = outcomeV2(), schemaVersion = 2): NewEvent {
  return { eventId: uuid(), type: 'TestOutcomeRecorded', schemaVersion, data, metadata };
}

function invalidOutcome(): NewEvent {
  const data = outcomeV2();
  return outcome({ ...data, tokens: { ...data.tokens, input: '1200' } });
}

describe('withCatalogue', () => {
  it('passes valid events through to the inner store', async () => {
    const fake = new FakeStore();
    const store = withCatalogue(fake);
    const result = await store.appendToStream('run-1', [outcome(), outcome()]);
    expect(result.appended).toBe(2);
    expect(fake.events).toHaveLength(2);
    expect(store.kind).toBe('pglite');
  });

  it('stores the validated form: defaults filled, extra envelope fields dropped', async () => {
    const fake = new FakeStore();
    const event = {
      eventId: uuid(),
      type: 'LessonMatchChanged',
      schemaVersion: 1,
      data: { lessonId: 'l', added: { tools: ['gh'] }, removed: {}, decidedBy: 'human' },
      metadata,
      streamId: 'copied-from-elsewhere',
    };
    await withCatalogue(fake).appendToStream('lesson-l', [event]);
    expect(fake.events[0]!.streamId).toBe('lesson-l');
    expect(fake.events[0]!.data).toEqual({
      lessonId: 'l',
      added: { keywords: [], patterns: [], tools: ['gh'], sessionCategories: [] },
      removed: { keywords: [], patterns: [], tools: [], sessionCategories: [] },
      decidedBy: 'human',
    });
  });

  it('refuses a whole appendToStream batch when one event is invalid, before calling the inner store', async () => {
    const fake = new FakeStore();
    const store = withCatalogue(fake);
    await expect(store.appendToStream('run-1', [outcome(), invalidOutcome()])).rejects.toThrow(
      'TestOutcomeRecorded.data.tokens.input: expected number, received string',
    );
    expect(fake.appendCalls).toBe(0);
    expect(fake.events).toHaveLength(0);
  });

  it('refuses a whole appendMany when one event of one stream is invalid', async () => {
    const fake = new FakeStore();
    const store = withCatalogue(fake);
    const attempt = store.appendMany([
      { streamId: 'run-1', events: [outcome()] },
      { streamId: 'run-2', events: [outcome(), { ...outcome(), type: 'NoSuchEvent' }] },
    ]);
    await expect(attempt).rejects.toBeInstanceOf(EventValidationError);
    expect(fake.appendCalls).toBe(0);
    expect(fake.events).toHaveLength(0);
  });

  it('keeps expectedRevision in appendMany', async () => {
    const fake = new FakeStore();
    await withCatalogue(fake).appendMany([{ streamId: 'run-1', events: [outcome()], expectedRevision: 'no_stream' }]);
    expect(fake.lastAppendMany[0]!.expectedRevision).toBe('no_stream');
  });

  it('upcasts what readStream, readAll and subscribeToAll return', async () => {
    const fake = new FakeStore();
    const store = withCatalogue(fake);
    await store.appendToStream('run-1', [outcome(outcomeV1({ model: 'openai/gpt-4o', toolFormat: 'tool' }), 1)]);
    await store.appendToStream('run-1', [outcome()]);
    expect(fake.events[0]!.schemaVersion).toBe(1); // stored as written

    const expectUpcast = (events: RecordedEvent[]) => {
      expect(events.map((e) => e.schemaVersion)).toEqual([2, 2]);
      expect(events[0]!.data).toMatchObject({ rawModel: 'openai/gpt-4o@tool', occurrence: 0 });
      expect(events[0]!.streamId).toBe('run-1');
      expect(events[0]!.globalPosition).toBe(1n);
    };
    expectUpcast(await store.readStream('run-1'));
    expectUpcast(await store.readAll());

    const messages: SubscriptionMessage[] = [];
    const subscription = store.subscribeToAll();
    for await (const message of subscription) messages.push(message);
    expect(messages.map((m) => m.kind)).toEqual(['events', 'caught-up']);
    expectUpcast((messages[0] as { events: RecordedEvent[] }).events);
    await subscription.close();
    expect(fake.closedSubscriptions).toBe(2); // the generator's finally, then close()
  });

  it('ends the inner subscription when the consumer breaks out of the loop', async () => {
    const fake = new FakeStore();
    const store = withCatalogue(fake);
    await store.appendToStream('run-1', [outcome()]);
    for await (const message of store.subscribeToAll()) {
      expect(message.kind).toBe('events');
      break;
    }
    expect(fake.closedSubscriptions).toBe(1);
  });

  it('leaves events of unknown types readable', async () => {
    const fake = new FakeStore();
    fake.events.push({
      eventId: uuid(),
      type: 'FromANewerApp',
      schemaVersion: 1,
      data: { x: 1 },
      metadata,
      streamId: 's',
      streamRevision: 0n,
      position: { commit: 1n, prepare: 0n },
      globalPosition: 1n,
      recordedAt: new Date(),
    });
    const [event] = await withCatalogue(fake).readAll();
    expect(event).toBe(fake.events[0]);
  });
});
