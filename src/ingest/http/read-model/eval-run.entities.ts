import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { TestOutcomeRecordedData } from '../../../../contracts/eval.js';

/**
 * TypeORM views of the `eval-runs` projection's tables (projections/eval/eval-runs.ts). The projection engine
 * creates and fills these tables from the projection's table specs (`instance_id` + the declared columns),
 * so there is no migration here: the definition is the one source of the schema. Read-only for the app.
 */
@Entity({ name: 'eval_runs', synchronize: false })
export class EvalRunRow {
  @PrimaryColumn({ name: 'instance_id', type: 'text' }) instanceId!: string;
  @PrimaryColumn({ name: 'run_id', type: 'text' }) runId!: string;
  @Column({ name: 'started_at', type: 'timestamptz', nullable: true }) startedAt!: Date | null;
  @Column({ type: 'text', nullable: true }) source!: string | null;
  @Column({ type: 'text', nullable: true }) suite!: string | null;
  @Column({ type: 'int4' }) outcomes!: number;
  @Column({ type: 'int4' }) passed!: number;
  @Column({ type: 'int4' }) failed!: number;
  @Column({ name: 'suspected_infra_errors', type: 'int4' }) suspectedInfraErrors!: number;
  @Column({ type: 'jsonb', nullable: true }) models!: string[] | null;
  @Column({ name: 'harness_commits', type: 'jsonb', nullable: true }) harnessCommits!: string[] | null;
  @Column({ name: 'event_id', type: 'text', nullable: true }) eventId!: string | null;
  /** int8: a decimal string from the driver. */
  @Column({ name: 'global_position', type: 'int8' }) globalPosition!: string;
  @Column({ name: 'recorded_at', type: 'timestamptz', nullable: true }) recordedAt!: Date | null;
}

@Entity({ name: 'eval_run_outcomes', synchronize: false })
export class EvalRunOutcomeRow {
  @PrimaryColumn({ name: 'instance_id', type: 'text' }) instanceId!: string;
  @PrimaryColumn({ name: 'run_id', type: 'text' }) runId!: string;
  @PrimaryColumn({ name: 'event_id', type: 'text' }) eventId!: string;
  @Column({ type: 'text', nullable: true }) model!: string | null;
  @Column({ name: 'raw_model', type: 'text', nullable: true }) rawModel!: string | null;
  @Column({ name: 'tool_format', type: 'text', nullable: true }) toolFormat!: string | null;
  @Column({ type: 'text', nullable: true }) test!: string | null;
  @Column({ type: 'int4' }) occurrence!: number;
  @Column({ type: 'bool', nullable: true }) passed!: boolean | null;
  @Column({ name: 'suspected_infra_error', type: 'bool', nullable: true }) suspectedInfraError!: boolean | null;
  @Column({ type: 'jsonb', nullable: true }) data!: TestOutcomeRecordedData | null;
  @Column({ name: 'global_position', type: 'int8' }) globalPosition!: string;
}
