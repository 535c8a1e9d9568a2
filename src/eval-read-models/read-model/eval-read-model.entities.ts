import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { LeaderboardDoc } from '../../../projections/eval/leaderboard.js';
import type { TrendsDoc } from '../../../projections/eval/trends.js';

/**
 * TypeORM views of the tables the projection engine creates and fills from the `leaderboard`, `trends` and
 * `test-history` definitions (projections/*.ts): no migration, the definitions are the schema. Read-only.
 */
@Entity({ name: 'leaderboard_documents', synchronize: false })
export class LeaderboardDocumentRow {
  @PrimaryColumn({ name: 'instance_id', type: 'text' }) instanceId!: string;
  @PrimaryColumn({ name: 'doc_key', type: 'text' }) docKey!: string;
  @Column({ type: 'jsonb' }) doc!: LeaderboardDoc;
}

@Entity({ name: 'trends_documents', synchronize: false })
export class TrendsDocumentRow {
  @PrimaryColumn({ name: 'instance_id', type: 'text' }) instanceId!: string;
  @PrimaryColumn({ name: 'doc_key', type: 'text' }) docKey!: string;
  @Column({ type: 'jsonb' }) doc!: TrendsDoc;
}

@Entity({ name: 'eval_test_history', synchronize: false })
export class TestHistoryEntity {
  @PrimaryColumn({ name: 'instance_id', type: 'text' }) instanceId!: string;
  @PrimaryColumn({ name: 'event_id', type: 'text' }) eventId!: string;
  @Column({ type: 'text', nullable: true }) model!: string | null;
  @Column({ name: 'tool_format', type: 'text', nullable: true }) toolFormat!: string | null;
  @Column({ type: 'text', nullable: true }) suite!: string | null;
  @Column({ type: 'text', nullable: true }) test!: string | null;
  @Column({ name: 'raw_model', type: 'text', nullable: true }) rawModel!: string | null;
  @Column({ name: 'gptme_model', type: 'text', nullable: true }) gptmeModel!: string | null;
  @Column({ name: 'gptme_format', type: 'text', nullable: true }) gptmeFormat!: string | null;
  @Column({ name: 'gptme_key', type: 'text', nullable: true }) gptmeKey!: string | null;
  @Column({ name: 'run_id', type: 'text', nullable: true }) runId!: string | null;
  @Column({ name: 'occurred_at', type: 'timestamptz', nullable: true }) occurredAt!: Date | null;
  @Column({ name: 'order_key', type: 'text', nullable: true }) orderKey!: string | null;
  @Column({ type: 'int4' }) occurrence!: number;
  @Column({ type: 'bool', nullable: true }) passed!: boolean | null;
  @Column({ name: 'suspected_infra_error', type: 'bool', nullable: true }) suspectedInfraError!: boolean | null;
  @Column({ name: 'cost_usd', type: 'float8' }) costUsd!: number;
  @Column({ name: 'cost_known', type: 'bool', nullable: true }) costKnown!: boolean | null;
  /** int8: a decimal string from the driver. */
  @Column({ name: 'tokens_total', type: 'int8' }) tokensTotal!: string;
  @Column({ name: 'tokens_known', type: 'bool', nullable: true }) tokensKnown!: boolean | null;
}

export const EVAL_READ_MODEL_ENTITIES = [LeaderboardDocumentRow, TrendsDocumentRow, TestHistoryEntity];
