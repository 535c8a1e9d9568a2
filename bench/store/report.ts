import { formatFixed, formatInteger, markdownTable } from '../support/table.js';
import type { MeasurementResult } from './jobs.js';
import type { PlannedMeasurement } from './plan.js';

export interface MeasuredRow {
  planned: PlannedMeasurement;
  result?: MeasurementResult;
  peakRssMb?: number;
  /** Why the child failed, when it did. */
  error?: string;
}

export function eventsPerSecond(result: MeasurementResult): number {
  return result.seconds > 0 ? result.events / result.seconds : Number.POSITIVE_INFINITY;
}

function rateOf(rows: MeasuredRow[], id: string | undefined): number | undefined {
  const row = rows.find((r) => r.planned.id === id);
  return row?.result ? eventsPerSecond(row.result) : undefined;
}

function ratioCell(rows: MeasuredRow[], row: MeasuredRow): string {
  if (!row.result?.events || !row.planned.peer) return '—';
  const peerRate = rateOf(rows, row.planned.peer);
  const peer = rows.find((r) => r.planned.id === row.planned.peer)!;
  if (peerRate === undefined) return `? (${peer.planned.store} failed)`;
  return `${formatFixed(eventsPerSecond(row.result) / peerRate, 2)}x ${peer.planned.store}`;
}

export function resultsTable(rows: MeasuredRow[]): string {
  return markdownTable<MeasuredRow>(
    [
      { header: 'store', cell: (r) => r.planned.store },
      { header: 'operation', cell: (r) => r.planned.operation },
      { header: 'events', align: 'right', cell: (r) => (r.result?.events ? formatInteger(r.result.events) : '—') },
      { header: 'seconds', align: 'right', cell: (r) => (r.result ? formatFixed(r.result.seconds, 2) : '—') },
      {
        header: 'events/s',
        align: 'right',
        cell: (r) =>
          r.result
            ? r.result.events > 0
              ? formatInteger(eventsPerSecond(r.result))
              : '—'
            : (r.planned.notApplicable ?? `FAILED: ${firstLine(r.error)}`),
      },
      { header: 'ratio to peer', cell: (r) => ratioCell(rows, r) },
      { header: 'peak RSS MB', align: 'right', cell: (r) => (r.peakRssMb === undefined ? '—' : formatInteger(r.peakRssMb)) },
    ],
    rows,
  );
}

export interface Target {
  name: string;
  subject: string;
  peer: string;
  /** subject rate / peer rate must reach this. */
  minRatio: number;
}

/** The goals the store is held to; all on PostgreSQL against peers measured in the same run. */
export const STORE_TARGETS: Target[] = [
  { name: "normal append >= 2x Emmett's append rate", subject: 'postgres/ours.append', peer: 'postgres/emmett.append', minRatio: 2 },
  {
    name: 'bulk path >= 90% of a COPY into a table with the same indexes',
    subject: 'postgres/ours.append-many',
    peer: 'postgres/raw.copy-indexed',
    minRatio: 0.9,
  },
  { name: 'read-all >= 70% of the raw cursor read', subject: 'postgres/ours.read-all', peer: 'postgres/raw.cursor-read', minRatio: 0.7 },
];

export function targetLines(rows: MeasuredRow[], targets: Target[] = STORE_TARGETS): string[] {
  return targets.map((t) => {
    const subject = rateOf(rows, t.subject);
    const peer = rateOf(rows, t.peer);
    if (subject === undefined || peer === undefined) {
      const missing = subject === undefined ? t.subject : t.peer;
      return `FAIL ${t.name}: ${missing} was not measured`;
    }
    const ratio = subject / peer;
    const verdict = ratio >= t.minRatio ? 'PASS' : 'FAIL';
    return `${verdict} ${t.name}: ${formatInteger(subject)} vs ${formatInteger(peer)} events/s = ${formatFixed(ratio, 2)}x (needs ${formatFixed(t.minRatio, 2)}x)`;
  });
}

function firstLine(text: string | undefined): string {
  return (text ?? 'unknown error').split('\n')[0]!.slice(0, 120);
}
