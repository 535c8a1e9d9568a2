/**
 * The fold of the `documents` projection shape over a batch, shared by the engine (documents loaded from
 * the database) and `projections/machinery/testing.ts` (documents in memory). Pure.
 */
import type { RecordedEvent } from '../../contracts/envelope.js';
import type { DocumentProjection, ReadModelChange, RuleValues } from './projection.js';

/** A document's state during a batch: undefined = not stored (yet), null = deleted in this batch. */
export type DocumentSlot<TDoc> = TDoc | null | undefined;

/** Thrown when evolve (or documentKeys) throws: says which event of the batch it was. */
export class EventFoldError extends Error {
  constructor(
    readonly index: number,
    readonly event: RecordedEvent,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'EventFoldError';
  }
}

/** The keys of every document the events touch (to load them before folding). */
export function touchedKeys<TDoc, TRules extends RuleValues>(
  projection: DocumentProjection<TDoc, TRules>,
  rules: TRules,
  events: readonly RecordedEvent[],
): Set<string> {
  const keys = new Set<string>();
  events.forEach((event, index) => {
    try {
      for (const key of projection.documentKeys(event, rules)) keys.add(key);
    } catch (error) {
      throw new EventFoldError(index, event, error);
    }
  });
  return keys;
}

/**
 * Folds events into `docs` (mutated; it must hold every touched key, undefined when not stored), adds the keys
 * whose document changed to `changed` and the row changes emitted to `rows` (in order). On a failing event
 * (EventFoldError) all three hold the state before that event, so the events before it can still be committed.
 */
export function foldDocuments<TDoc, TRules extends RuleValues>(
  projection: DocumentProjection<TDoc, TRules>,
  rules: TRules,
  events: readonly RecordedEvent[],
  docs: Map<string, DocumentSlot<TDoc>>,
  changed: Set<string> = new Set(),
  rows: ReadModelChange[] = [],
): Set<string> {
  events.forEach((event, index) => {
    const updates: [string, TDoc | null][] = [];
    const emitted: ReadModelChange[] = [];
    const emit = (change: ReadModelChange) => {
      if (!projection.tables?.[change.table]) throw new Error(`${projection.name} emitted a change to undeclared table "${change.table}"`);
      emitted.push(change);
    };
    try {
      const keys = new Set(projection.documentKeys(event, rules));
      const peek = (key: string): TDoc | undefined => {
        if (!keys.has(key)) throw new Error(`${projection.name} peeked at ${key}, which ${event.type} does not touch`);
        return docs.get(key) ?? undefined;
      };
      for (const key of keys) {
        const current = docs.get(key);
        const base = current === undefined || current === null ? projection.initialDocument(key, rules) : current;
        updates.push([key, projection.evolve(base, event, rules, key, peek, emit)]);
      }
    } catch (error) {
      throw new EventFoldError(index, event, error);
    }
    // Only an event that folded completely touches the state: a failure leaves the state before it.
    for (const [key, next] of updates) {
      docs.set(key, next);
      changed.add(key);
    }
    for (const change of emitted) rows.push(change);
  });
  return changed;
}
