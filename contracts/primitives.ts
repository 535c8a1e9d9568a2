/** Small zod building blocks shared by the domain catalogues. */
import { z } from 'zod';

export const nonEmptyString = z.string().min(1);
export const nonNegativeInt = z.int().nonnegative();
export const nonNegativeNumber = z.number().nonnegative();
/** An ISO-8601 instant: date, time and a `Z` or numeric offset (a local time without offset is ambiguous). */
export const isoInstant = z.iso.datetime({ offset: true });
/** A bigint written as a decimal string (JSON has no bigint): global positions in evidence. */
export const decimalString = z.string().regex(/^(0|[1-9][0-9]*)$/, 'expected a non-negative decimal integer string');
export const unitInterval = z.number().min(0).max(1);
/** Event ids are uuids (RFC 9562 variant; v4 from randomUUID, v5 from deterministicEventId). */
export const eventIdSchema = z.uuid();
/** Any JSON value: what a jsonb column and an EventStoreDB JSON event can hold. */
export const jsonValue = z.json();
export const jsonObject = z.record(z.string(), jsonValue);
