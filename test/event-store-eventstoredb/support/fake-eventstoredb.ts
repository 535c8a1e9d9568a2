/**
 * An in-memory stand-in for an EventStoreDB node, speaking the same gRPC Streams API (Read and Append)
 * through the protobuf classes shipped with @eventstore/db-client. It exists because no EventStoreDB
 * server can run on this machine: it lets the adapter be driven end to end by the real client.
 *
 * It follows the server's documented behaviour as far as the adapter relies on it, not its internals:
 * forward reads of $all include their start position, backward reads stop before it, subscriptions
 * start strictly after it; reading a missing stream answers StreamNotFound; a retried write of the same
 * ids at the same expected revision is acknowledged without writing; events of one append share the
 * commit position of the first one; system events ($statsCollected) sit in $all between ours. It is
 * not a reference for anything else.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const clientPath = require.resolve('@eventstore/db-client');
const fromClient = createRequire(clientPath);
/* eslint-disable @typescript-eslint/no-explicit-any */
const grpc: any = fromClient('@grpc/grpc-js');
const streamsPb: any = fromClient('../generated/streams_pb.js');
const streamsGrpc: any = fromClient('../generated/streams_grpc_pb.js');
const sharedPb: any = fromClient('../generated/shared_pb.js');

interface Stored {
  streamId: string;
  revision: bigint;
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  metadata: Uint8Array;
  created: string;
  commit: bigint;
  prepare: bigint;
}

type Filter = (event: Stored) => boolean;
type Expected = { kind: 'any' } | { kind: 'no_stream' } | { kind: 'stream_exists' } | { kind: 'revision'; revision: bigint };

export interface FakeEventStoreDbOptions {
  /** Servers before 23.10 never send caught-up; set false to exercise the adapter's fallback. */
  sendsCaughtUp?: boolean;
  /** Write a $statsCollected event after every append (system noise in $all). */
  systemEventAfterAppend?: boolean;
}

export interface FakeEventStoreDb {
  connectionString: string;
  /** Every stored event in $all order, system events included. */
  log(): ReadonlyArray<{ streamId: string; revision: bigint; id: string; type: string }>;
  liveSubscriptions(): number;
  stop(): Promise<void>;
}

const compare = (a: Stored, p: { commit: bigint; prepare: bigint }) =>
  a.commit !== p.commit ? (a.commit < p.commit ? -1 : 1) : a.prepare === p.prepare ? 0 : a.prepare < p.prepare ? -1 : 1;

export async function startFakeEventStoreDb(settings: FakeEventStoreDbOptions = {}): Promise<FakeEventStoreDb> {
  const sendsCaughtUp = settings.sendsCaughtUp ?? true;
  const systemNoise = settings.systemEventAfterAppend ?? true;
  const log: Stored[] = [];
  const streams = new Map<string, Stored[]>();
  const live = new Set<(events: Stored[]) => void>();
  let nextPosition = 1000n;
  let statsCount = 0;

  function write(streamId: string, proposed: Omit<Stored, 'streamId' | 'revision' | 'commit' | 'prepare' | 'created'>[]): Stored[] {
    const stream = streams.get(streamId) ?? [];
    streams.set(streamId, stream);
    const commit = nextPosition;
    const written = proposed.map((p) => {
      const event: Stored = {
        ...p,
        streamId,
        revision: BigInt(stream.length),
        commit,
        prepare: nextPosition,
        created: String(BigInt(Date.now()) * 10_000n),
      };
      nextPosition += 100n;
      stream.push(event);
      log.push(event);
      return event;
    });
    for (const listener of live) listener(written);
    return written;
  }

  function writeStats(): void {
    statsCount += 1;
    const data = new TextEncoder().encode(JSON.stringify({ n: statsCount }));
    write('$stats-fake', [{ id: crypto.randomUUID(), type: '$statsCollected', contentType: 'application/json', data, metadata: new Uint8Array() }]);
  }

  function toReadResp(event: Stored): any {
    const recorded = new streamsPb.ReadResp.ReadEvent.RecordedEvent();
    const id = new sharedPb.UUID();
    id.setString(event.id);
    recorded.setId(id);
    const identifier = new sharedPb.StreamIdentifier();
    identifier.setStreamName(Buffer.from(event.streamId, 'utf8'));
    recorded.setStreamIdentifier(identifier);
    recorded.setStreamRevision(event.revision.toString());
    recorded.setCommitPosition(event.commit.toString());
    recorded.setPreparePosition(event.prepare.toString());
    recorded.getMetadataMap().set('type', event.type);
    recorded.getMetadataMap().set('content-type', event.contentType);
    recorded.getMetadataMap().set('created', event.created);
    recorded.setData(event.data);
    recorded.setCustomMetadata(event.metadata);
    const readEvent = new streamsPb.ReadResp.ReadEvent();
    readEvent.setEvent(recorded);
    readEvent.setCommitPosition(event.commit.toString());
    const resp = new streamsPb.ReadResp();
    resp.setEvent(readEvent);
    return resp;
  }

  function filterOf(options: any): Filter {
    if (!options.hasFilter()) return () => true;
    const filter = options.getFilter();
    const onType = filter.hasEventType();
    const expression = onType ? filter.getEventType() : filter.getStreamIdentifier();
    const regex = expression.getRegex() ? new RegExp(expression.getRegex()) : null;
    const prefixes: string[] = expression.getPrefixList();
    return (event) => {
      const subject = onType ? event.type : event.streamId;
      return regex ? regex.test(subject) : prefixes.some((p) => subject.startsWith(p));
    };
  }

  function read(call: any): void {
    const options = call.request.getOptions();
    const forwards = options.getReadDirection() === streamsPb.ReadReq.Options.ReadDirection.FORWARDS;
    const count = options.hasCount() ? Number(options.getCount()) : Number.MAX_SAFE_INTEGER;
    const filter = filterOf(options);
    if (options.hasStream()) {
      const stream = options.getStream();
      const name = Buffer.from(stream.getStreamIdentifier().getStreamName_asU8()).toString('utf8');
      const events = streams.get(name);
      if (!events) {
        const resp = new streamsPb.ReadResp();
        const notFound = new streamsPb.ReadResp.StreamNotFound();
        notFound.setStreamIdentifier(stream.getStreamIdentifier());
        resp.setStreamNotFound(notFound);
        call.write(resp);
        call.end();
        return;
      }
      let selected: Stored[];
      if (forwards) {
        const from = stream.hasRevision() ? Number(stream.getRevision()) : stream.hasEnd() ? events.length : 0;
        selected = events.slice(from);
      } else {
        const from = stream.hasRevision() ? Number(stream.getRevision()) : stream.hasStart() ? 0 : events.length - 1;
        selected = events.slice(0, from + 1).reverse();
      }
      for (const event of selected.slice(0, count)) call.write(toReadResp(event));
      call.end();
      return;
    }
    const all = options.getAll();
    const position = all.hasPosition()
      ? { commit: BigInt(all.getPosition().getCommitPosition()), prepare: BigInt(all.getPosition().getPreparePosition()) }
      : null;
    if (options.hasSubscription()) {
      subscribe(call, position, all.hasEnd(), filter);
      return;
    }
    let selected: Stored[];
    if (forwards) {
      selected = position ? log.filter((e) => compare(e, position) >= 0) : all.hasEnd() ? [] : log;
    } else {
      selected = (position ? log.filter((e) => compare(e, position) < 0) : all.hasStart() ? [] : log).slice().reverse();
    }
    for (const event of selected.filter(filter).slice(0, count)) call.write(toReadResp(event));
    call.end();
  }

  function subscribe(call: any, after: { commit: bigint; prepare: bigint } | null, fromEnd: boolean, filter: Filter): void {
    const confirmation = new streamsPb.ReadResp();
    const confirmed = new streamsPb.ReadResp.SubscriptionConfirmation();
    confirmed.setSubscriptionId(crypto.randomUUID());
    confirmation.setConfirmation(confirmed);
    call.write(confirmation);
    const history = fromEnd ? [] : after ? log.filter((e) => compare(e, after) > 0) : log.slice();
    for (const event of history.filter(filter)) call.write(toReadResp(event));
    if (sendsCaughtUp) {
      const caughtUp = new streamsPb.ReadResp();
      caughtUp.setCaughtUp(new streamsPb.ReadResp.CaughtUp());
      call.write(caughtUp);
    }
    const listener = (events: Stored[]) => {
      for (const event of events.filter(filter)) call.write(toReadResp(event));
    };
    live.add(listener);
    const stop = () => live.delete(listener);
    call.on('cancelled', stop);
    call.on('close', stop);
    call.on('error', stop);
  }

  function expectedOf(options: any): Expected {
    const cases = streamsPb.AppendReq.Options.ExpectedStreamRevisionCase;
    switch (options.getExpectedStreamRevisionCase()) {
      case cases.REVISION:
        return { kind: 'revision', revision: BigInt(options.getRevision()) };
      case cases.NO_STREAM:
        return { kind: 'no_stream' };
      case cases.STREAM_EXISTS:
        return { kind: 'stream_exists' };
      default:
        return { kind: 'any' };
    }
  }

  /** Where the proposed ids already sit as one run in the stream (the server's idempotency check), if they do. */
  function storedRun(stream: Stored[], ids: string[], expected: Expected): Stored[] | null {
    const start =
      expected.kind === 'revision'
        ? Number(expected.revision) + 1
        : expected.kind === 'no_stream'
          ? 0
          : stream.findIndex((e) => e.id === ids[0]);
    if (start < 0) return null;
    const run = stream.slice(start, start + ids.length);
    return run.length === ids.length && run.every((e, i) => e.id === ids[i]) ? run : null;
  }

  function append(call: any, callback: (error: unknown, resp?: unknown) => void): void {
    let options: any;
    const proposed: Omit<Stored, 'streamId' | 'revision' | 'commit' | 'prepare' | 'created'>[] = [];
    call.on('data', (req: any) => {
      if (req.hasOptions()) options = req.getOptions();
      if (req.hasProposedMessage()) {
        const message = req.getProposedMessage();
        proposed.push({
          id: message.getId().getString(),
          type: message.getMetadataMap().get('type'),
          contentType: message.getMetadataMap().get('content-type'),
          data: message.getData_asU8(),
          metadata: message.getCustomMetadata_asU8(),
        });
      }
    });
    call.on('end', () => {
      const streamId = Buffer.from(options.getStreamIdentifier().getStreamName_asU8()).toString('utf8');
      const expected = expectedOf(options);
      const stream = streams.get(streamId) ?? [];
      const current = stream.length === 0 ? null : BigInt(stream.length - 1);
      const resp = new streamsPb.AppendResp();
      const idempotent = stream.length > 0 ? storedRun(stream, proposed.map((p) => p.id), expected) : null;
      const holds =
        expected.kind === 'any' ||
        (expected.kind === 'no_stream' && current === null) ||
        (expected.kind === 'stream_exists' && current !== null) ||
        (expected.kind === 'revision' && current === expected.revision);
      if (!idempotent && !holds) {
        const wrong = new streamsPb.AppendResp.WrongExpectedVersion();
        if (current === null) wrong.setCurrentNoStream(new sharedPb.Empty());
        else wrong.setCurrentRevision(current.toString());
        if (expected.kind === 'revision') wrong.setExpectedRevision(expected.revision.toString());
        else if (expected.kind === 'no_stream') wrong.setExpectedNoStream(new sharedPb.Empty());
        else if (expected.kind === 'stream_exists') wrong.setExpectedStreamExists(new sharedPb.Empty());
        else wrong.setExpectedAny(new sharedPb.Empty());
        resp.setWrongExpectedVersion(wrong);
        callback(null, resp);
        return;
      }
      const written = idempotent ?? write(streamId, proposed);
      if (!idempotent && systemNoise) writeStats();
      const last = written[written.length - 1];
      const success = new streamsPb.AppendResp.Success();
      success.setCurrentRevision(last.revision.toString());
      const position = new streamsPb.AppendResp.Position();
      // The transaction's position, as the server answers: not the last event's own prepare position.
      position.setCommitPosition(written[0].commit.toString());
      position.setPreparePosition(written[0].prepare.toString());
      success.setPosition(position);
      resp.setSuccess(success);
      callback(null, resp);
    });
  }

  writeStats();
  const server = new grpc.Server();
  server.addService(streamsGrpc.StreamsService, { read, append });
  const port: number = await new Promise((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error: Error | null, bound: number) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    connectionString: `esdb://127.0.0.1:${port}?tls=false`,
    log: () => log.map(({ streamId, revision, id, type }) => ({ streamId, revision, id, type })),
    liveSubscriptions: () => live.size,
    stop: () =>
      new Promise<void>((resolve) => {
        live.clear();
        server.forceShutdown();
        resolve();
      }),
  };
}
