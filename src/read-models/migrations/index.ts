import type { MigrationInterface } from 'typeorm';

/**
 * Every read-model schema change, oldest first. TypeORM runs the pending ones at start (`migrationsRun`);
 * `synchronize` is never used. To add one: write `src/<feature>/read-model/<timestamp>-<what>.ts` exporting a
 * class implementing MigrationInterface whose `name` ends with that timestamp (e.g.
 * `CreateLessonView1764120000000`), then add one line to this list. Keep the SQL valid on PostgreSQL 15 and
 * PGlite (same engine), and never edit a migration that has shipped: add a new one.
 * Their bookkeeping table is `read_model_migrations` (the event store's own schema has its own migrator).
 */
export const readModelMigrations: Array<new () => MigrationInterface> = [
  // e.g. CreateLessonView1764120000000,
];
