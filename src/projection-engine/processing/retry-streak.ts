/**
 * A processor's errors in a row that are not an event's fault (the database unreachable, a deadlock, a missing
 * table...): each is retried after a growing pause, and the streak (cause, attempts, last error, next attempt)
 * is written on the instance so `projections status` shows it from any process. The first batch committed or
 * the head reached ends the streak.
 */
import type { Logger } from '@nestjs/common';
import type { SqlClient } from '../../database/sql-client.js';
import { clearRetry, recordRetry, type RetryState } from '../instances/instances.js';
import { classifyFailure, sqlStateOf } from './failures.js';

const FIRST_PAUSE_MS = 500;
const LONGEST_PAUSE_MS = 30_000;

export class RetryStreak {
  private attempts = 0;
  private since: string | null = null;
  private pauseMs = FIRST_PAUSE_MS;
  /** Attempts whose record did not reach the database (it was the thing down): counted when it is back. */
  private unrecorded = 0;

  constructor(
    private readonly sql: SqlClient,
    private readonly instanceId: string,
    private readonly logger: Pick<Logger, 'error'>,
  ) {}

  /** Counts a failed attempt and records it (when the database lets us); resolves with the pause before the next. */
  async failed(error: unknown): Promise<number> {
    const classified = classifyFailure(error);
    const cause: RetryState['cause'] = classified === 'transient' || classified === 'missing-relation' ? classified : 'other';
    const pause = this.pauseMs;
    this.pauseMs = Math.min(this.pauseMs * 2, LONGEST_PAUSE_MS);
    this.attempts++;
    const now = Date.now();
    this.since ??= new Date(now).toISOString();
    const message = error instanceof Error ? error.message : String(error);
    const state = sqlStateOf(error);
    this.logger.error(`stopped by an error (${cause}, attempt ${this.attempts}), retrying in ${pause} ms: ${message}`);
    const retry: RetryState = {
      cause,
      attempts: this.attempts,
      message,
      ...(state ? { sqlState: state } : {}),
      since: this.since,
      nextAttemptAt: new Date(now + pause).toISOString(),
    };
    await recordRetry(this.sql, this.instanceId, retry).catch(() => this.unrecorded++);
    return pause;
  }

  /** The processor is working again. */
  progressed(): void {
    if (this.attempts === 0) return;
    this.attempts = 0;
    this.since = null;
    this.pauseMs = FIRST_PAUSE_MS;
    const unrecorded = this.unrecorded;
    this.unrecorded = 0;
    void clearRetry(this.sql, this.instanceId, unrecorded).catch(() => (this.unrecorded += unrecorded));
  }
}
