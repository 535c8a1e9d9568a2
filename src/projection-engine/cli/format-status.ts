/** Plain-text renderings of instance statuses for the CLI. */
import type { InstanceStatus } from '../status/status.js';

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${Math.round(seconds)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}

function stateText(s: InstanceStatus): string {
  if (s.state === 'rebuilding' || s.state === 'catching-up') {
    return s.progress ? `${s.state} ${s.progress.percent}%` : s.state;
  }
  return s.state;
}

/** One line per instance, aligned, then the error of each failed one. */
export function formatStatusTable(statuses: InstanceStatus[]): string {
  if (statuses.length === 0) return 'No projection instances yet.';
  const header = ['INSTANCE', 'STATE', 'CURRENT', 'POSITION', 'PROCESSED', 'LAG', 'EVENTS/S', 'PROCESSOR'];
  const rows = statuses.map((s) => [
    s.instanceId,
    stateText(s),
    s.current ? 'yes' : '',
    s.position ? `${s.position.commit}/${s.position.prepare}` : '-',
    String(s.eventsProcessed),
    s.lag ? `${s.lag.events} ev, ${formatDuration(s.lag.seconds)}` : '-',
    s.eventsPerSecond === null ? '-' : String(Math.round(s.eventsPerSecond)),
    s.processor?.owner ?? (s.segments.count > 1 ? `${s.segments.units.filter((u) => u.holder).length}/${s.segments.count} segments held` : '-'),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [line(header), ...rows.map(line)];
  for (const s of statuses) {
    if (s.error) {
      out.push(
        `${s.instanceId} FAILED at event ${s.error.eventId} (${s.error.eventType}, position ${s.error.position.commit}/${s.error.position.prepare}, ` +
          `global ${s.error.globalPosition}): ${s.error.sqlState ? `SQLSTATE ${s.error.sqlState}: ` : ''}${s.error.message}` +
          `\n  after a fix: lessonloop projections retry ${s.instanceId}` +
          `\n  or pass over it: lessonloop projections skip ${s.instanceId} --event ${s.error.eventId} --reason "..."`,
      );
    }
    if (s.retry) {
      out.push(
        `${s.instanceId} RETRYING (${s.retry.cause}, ${s.retry.attempts} attempt(s) since ${s.retry.since}, next ${s.retry.nextAttemptAt}): ` +
          `${s.retry.sqlState ? `SQLSTATE ${s.retry.sqlState}: ` : ''}${s.retry.message}`,
      );
    }
    for (const skip of s.skipped) {
      out.push(
        `${s.instanceId} skipped event ${skip.eventId} (${skip.eventType}, position ${skip.position.commit}/${skip.position.prepare}) ` +
          `at ${skip.skippedAt}${skip.actor ? ` by ${skip.actor}` : ''}: ${skip.reason}`,
      );
    }
    for (const u of s.segments.units) {
      const position = u.position ? `${u.position.commit}/${u.position.prepare}` : '-';
      out.push(
        `${s.instanceId} segment ${u.segment + 1}/${s.segments.count} (by ${s.segments.by ?? '?'}): position ${position}, ` +
          `${u.eventsProcessed} events${u.caughtUp ? ', caught up' : ''}, held by ${u.holder?.owner ?? 'nobody'}`,
      );
    }
    if (s.progress && s.eventsPerSecond) {
      out.push(`${s.instanceId}: ${s.progress.done}/${s.progress.total} events, ETA ${formatDuration(s.progress.etaSeconds)}`);
    }
  }
  return out.join('\n');
}

/** A progress line for non-TTY output: events done / total, rate, ETA. */
export function formatProgressLine(s: InstanceStatus): string {
  const done = s.progress?.done ?? s.eventsProcessed;
  const total = s.progress?.total ?? s.eventsProcessed + (s.lag?.events ?? 0);
  const percent = total === 0 ? 100 : Math.floor((done / total) * 1000) / 10;
  const rate = s.eventsPerSecond === null ? '?' : Math.round(s.eventsPerSecond).toString();
  const eta = s.progress?.etaSeconds ?? (s.lag?.events === 0 ? 0 : null);
  return `${s.instanceId}: ${done}/${total} events (${percent}%), ${rate} events/s, ETA ${formatDuration(eta)}`;
}
