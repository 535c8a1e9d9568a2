import type { Migration } from './migration.js';

/**
 * The append-only event log. Global order is (transaction_id, global_position): readers only read rows whose
 * transaction is below the oldest running one, so a late committer can never land behind a checkpoint. That
 * pair is the primary key (the read-all index); no query looks rows up by global_position alone, so it has no
 * index of its own: every index is paid for on each append. Stream ids compare bytewise (COLLATE "C"), which
 * is cheaper in the (stream_id, stream_revision) key than a locale's collation.
 */
export const eventStoreMigration: Migration = {
  id: '0001_event_store',
  statements: [
    `CREATE TABLE streams (
       stream_id text COLLATE "C" PRIMARY KEY,
       revision bigint NOT NULL CHECK (revision >= 0)
     )`,
    `CREATE TABLE events (
       global_position bigserial,
       transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
       stream_id text COLLATE "C" NOT NULL,
       stream_revision bigint NOT NULL CHECK (stream_revision >= 0),
       event_id uuid NOT NULL,
       type text NOT NULL,
       schema_version int NOT NULL,
       data jsonb NOT NULL,
       metadata jsonb NOT NULL,
       occurred_at timestamptz NOT NULL,
       recorded_at timestamptz NOT NULL DEFAULT now(),
       CONSTRAINT events_pkey PRIMARY KEY (transaction_id, global_position),
       CONSTRAINT events_event_id_key UNIQUE (event_id),
       CONSTRAINT events_stream_revision_key UNIQUE (stream_id, stream_revision)
     )`,
    `CREATE FUNCTION lessonloop_events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       RAISE EXCEPTION 'events are append-only: % on events is refused', TG_OP
         USING ERRCODE = 'insufficient_privilege';
     END
     $$`,
    `CREATE TRIGGER events_append_only
       BEFORE UPDATE OR DELETE OR TRUNCATE ON events
       FOR EACH STATEMENT EXECUTE FUNCTION lessonloop_events_are_append_only()`,
  ],
};
