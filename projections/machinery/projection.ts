/**
 * What a projection is, as pure code: no I/O, no NestJS. The projection engine (`src/projection-engine/`)
 * runs a definition as one or more instances (name, version, rule set), each with its own checkpoint and
 * its own rows, and writes every batch's changes together with the checkpoint in one transaction.
 *
 * Two shapes:
 * - `documents`: keyed JSON documents folded one event at a time (`evolve(doc, event) -> doc`). The engine
 *   loads the documents a batch touches, evolves them in memory and writes them back.
 * - `changes`: a batch of events becomes row changes (upsert / increment / delete) on tables the definition
 *   declares; the engine merges them per row and writes them as a few multi-row statements.
 *
 * Both must not depend on how the event stream is cut into batches: projecting A then B must give the same
 * rows as projecting A+B at once (`projections/machinery/testing.ts` checks this for every spec).
 */
import type { RecordedEvent } from '../../contracts/envelope.js';
import type { ReadModelChange, TableSpec } from './read-model-changes.js';
import type { Segmentation } from './segmentation.js';

export type { ReadModelChange, TableSpec, ColumnType, RowValues, RowValue } from './read-model-changes.js';
export { upsert, increment, latest, append, remove } from './read-model-changes.js';

/** JSON-compatible rule parameters (thresholds, windows, flags). */
export type RuleValues = Record<string, unknown>;

export interface ProjectionBase<TRules extends RuleValues> {
  /** kebab-case, stable: part of every instance id. */
  readonly name: string;
  /** Bump whenever the output for the same events changes: a new version is rebuilt beside the old one. */
  readonly version: number;
  readonly description?: string;
  /** Event types handed to the projection; the checkpoint still moves past every other event. */
  readonly eventTypes: readonly string[];
  /** The rules used when no rule set is given. A rule set overrides any of them. */
  readonly defaultRules: TRules;
  /** Validates defaults merged with a rule set's overrides (e.g. a zod schema's `parse`). Throw to refuse. */
  readonly parseRules?: (merged: RuleValues) => TRules;
  /** Split each instance into segments projected side by side (segmentation.ts); absent: one unit. */
  readonly segmentation?: Segmentation;
  /** Why the read model stays one segment (shown in status) when it declares no segmentation. */
  readonly oneSegmentBecause?: string;
}

export interface DocumentProjection<TDoc, TRules extends RuleValues = RuleValues> extends ProjectionBase<TRules> {
  readonly shape: 'documents';
  /** The table holding this projection's documents: (instance_id, doc_key, doc jsonb). snake_case. */
  readonly documentTable: string;
  /** The documents an event changes (none: an empty array). */
  documentKeys(event: RecordedEvent, rules: TRules): readonly string[];
  /** The state of a document before its first event. */
  initialDocument(key: string, rules: TRules): TDoc;
  /**
   * Documents read by almost every batch (one large document folded by every event): the engine keeps them in
   * memory between the batches of a pass instead of reading them again, and still writes them with each batch.
   */
  readonly keptInMemory?: readonly string[];
  /**
   * Rows the projection writes beside its documents (the engine adds an `instance_id` key column to each):
   * what only grows with history (e.g. one row per outcome) belongs there, so a commit writes only the rows it
   * adds, never a document that holds all of them.
   */
  readonly tables?: Readonly<Record<string, TableSpec>>;
  /**
   * Folds one event into one document. Return null to delete the document. `peek` reads another document the
   * same event touches (one of its documentKeys), as it stood before this event: undefined when not stored.
   * `emit` adds a row change on `tables` (applied only if the whole event folds).
   */
  evolve(
    doc: TDoc,
    event: RecordedEvent,
    rules: TRules,
    key: string,
    peek: (key: string) => TDoc | undefined,
    emit: (change: ReadModelChange) => void,
  ): TDoc | null;
}

export interface ChangesProjection<TRules extends RuleValues = RuleValues, TTable extends string = string>
  extends ProjectionBase<TRules> {
  readonly shape: 'changes';
  /** The tables this projection writes. The engine adds an `instance_id` key column to each. */
  readonly tables: Readonly<Record<TTable, TableSpec>>;
  /** Events (already filtered to `eventTypes`, in global order) to row changes, applied in order. */
  project(events: readonly RecordedEvent[], rules: TRules): ReadModelChange<TTable>[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyProjection = DocumentProjection<any, any> | ChangesProjection<any, string>;

/** Identity helpers that keep the literal types of a definition (tables, rules) for the code using it. */
export function defineDocumentProjection<TDoc, TRules extends RuleValues>(
  definition: Omit<DocumentProjection<TDoc, TRules>, 'shape'>,
): DocumentProjection<TDoc, TRules> {
  return { ...definition, shape: 'documents' };
}

export function defineChangesProjection<TRules extends RuleValues, TTable extends string>(
  definition: Omit<ChangesProjection<TRules, TTable>, 'shape'>,
): ChangesProjection<TRules, TTable> {
  return { ...definition, shape: 'changes' };
}

/** For projections written one event at a time: lifts `(event) -> changes` to the batch signature. */
export function perEvent<TRules extends RuleValues, TTable extends string>(
  fn: (event: RecordedEvent, rules: TRules) => ReadModelChange<TTable>[],
): (events: readonly RecordedEvent[], rules: TRules) => ReadModelChange<TTable>[] {
  return (events, rules) => events.flatMap((event) => fn(event, rules));
}

/**
 * The rules an instance runs with: defaults, overridden by the rule set's parameters of the same name, then
 * by `parameters[<projection name>]` when that is an object (rules aimed at one projection). Unknown names
 * are ignored so one rule set can serve many projections (a name no rule family knows is refused when the
 * rule set is defined, never when it is read).
 */
export function resolveRules<TRules extends RuleValues>(
  projection: ProjectionBase<TRules>,
  ruleSetParameters: RuleValues | undefined,
): TRules {
  const merged: RuleValues = { ...projection.defaultRules };
  const known = Object.keys(projection.defaultRules);
  const layers = [ruleSetParameters, asRecord(ruleSetParameters?.[projection.name])];
  for (const layer of layers) {
    if (!layer) continue;
    for (const name of known) if (name in layer) merged[name] = layer[name];
  }
  return projection.parseRules ? projection.parseRules(merged) : (merged as TRules);
}

function asRecord(value: unknown): RuleValues | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as RuleValues) : undefined;
}

/** Whether the projection wants this event at all. */
export function handles(projection: ProjectionBase<RuleValues>, event: RecordedEvent): boolean {
  return projection.eventTypes.includes(event.type);
}
