/**
 * What the catalogue needs to know about one event type: its current version, the data schema of every
 * version still readable, and the upcasters that lift data one version at a time (v -> v + 1).
 */
import type { z } from 'zod';

/** Lifts the data of version `from` to version `from + 1`. Never validates: stored data was validated on write. */
export type Upcaster = (data: unknown) => unknown;

export interface EventDefinition<TType extends string = string, TSchema extends z.ZodType = z.ZodType> {
  readonly type: TType;
  readonly currentVersion: number;
  /** The current version's data schema. */
  readonly schema: TSchema;
  /** Every known version's data schema, the current one included. */
  readonly schemas: Readonly<Record<number, z.ZodType>>;
  /** Keyed by the version they lift from. */
  readonly upcasters: Readonly<Record<number, Upcaster>>;
}

/** Types an upcaster by its input and output while storing it in the untyped chain. */
export function upcaster<TFrom, TTo>(lift: (data: TFrom) => TTo): Upcaster {
  return lift as Upcaster;
}

export function defineEvent<TType extends string, TSchema extends z.ZodType>(
  type: TType,
  currentVersion: number,
  schema: TSchema,
  older: { schemas?: Record<number, z.ZodType>; upcasters?: Record<number, Upcaster> } = {},
): EventDefinition<TType, TSchema> {
  if (!Number.isInteger(currentVersion) || currentVersion < 1) {
    throw new Error(`${type}: bad version ${currentVersion}`);
  }
  for (let v = 1; v < currentVersion; v++) {
    if (!older.schemas?.[v]) throw new Error(`${type}: missing schema for version ${v}`);
    if (!older.upcasters?.[v]) throw new Error(`${type}: missing upcaster from version ${v} to ${v + 1}`);
  }
  const extra = Object.keys({ ...older.schemas, ...older.upcasters }).map(Number).filter((v) => v >= currentVersion);
  if (extra.length > 0) throw new Error(`${type}: older versions ${extra.join(', ')} are not below ${currentVersion}`);
  return Object.freeze({
    type,
    currentVersion,
    schema,
    schemas: Object.freeze({ ...older.schemas, [currentVersion]: schema }),
    upcasters: Object.freeze({ ...older.upcasters }),
  });
}
