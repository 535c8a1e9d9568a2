import type { Migration } from './migration.js';
import { eventStoreMigration } from './0001_event_store.js';

export type { Migration } from './migration.js';

/** Every migration, in the order they run. Append new ones at the end. */
export const migrations: readonly Migration[] = [eventStoreMigration];
