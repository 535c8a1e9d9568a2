import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * TypeORM view of the `external-changes` projection's table (projections/domain-changes/external-changes.ts). The projection
 * engine creates and fills it from the projection's table spec, so there is no migration here.
 */
@Entity({ name: 'external_changes', synchronize: false })
export class ExternalChangeRow {
  @PrimaryColumn({ name: 'instance_id', type: 'text' }) instanceId!: string;
  @PrimaryColumn({ name: 'change_id', type: 'text' }) changeId!: string;
  @Column({ type: 'text', nullable: true }) kind!: string | null;
  @Column({ type: 'text', nullable: true }) subject!: string | null;
  @Column({ type: 'text', nullable: true }) description!: string | null;
  @Column({ name: 'occurred_at', type: 'timestamptz', nullable: true }) occurredAt!: Date | null;
  @Column({ name: 'recorded_at', type: 'timestamptz', nullable: true }) recordedAt!: Date | null;
  @Column({ type: 'text', nullable: true }) source!: string | null;
  @Column({ type: 'text', nullable: true }) actor!: string | null;
  @Column({ name: 'event_id', type: 'text', nullable: true }) eventId!: string | null;
  @Column({ name: 'global_position', type: 'int8' }) globalPosition!: string;
}
