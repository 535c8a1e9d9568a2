import { formatFixed, formatInteger, markdownTable } from '../support/table.js';
import type { Job, MeasurementResult } from './jobs.js';

export interface MeasuredRow {
  label: string;
  job: Job;
  result?: MeasurementResult;
  peakRssMb?: number;
  error?: string;
}

const rate = (r: MeasurementResult) => r.written / r.seconds;

export function resultsTable(rows: MeasuredRow[]): string {
  const baseline = rows.find((r) => r.job.kind === 'raw-copy-events')?.result;
  return markdownTable<MeasuredRow>(
    [
      { header: 'measurement', cell: (r) => r.label },
      { header: 'outcome rows', align: 'right', cell: (r) => (r.result ? formatInteger(r.result.rows) : '-') },
      { header: 'rows written', align: 'right', cell: (r) => (r.result ? formatInteger(r.result.written) : '-') },
      { header: 'seconds', align: 'right', cell: (r) => (r.result ? formatFixed(r.result.seconds, 1) : r.error ? 'FAILED' : '-') },
      { header: 'rows/s', align: 'right', cell: (r) => (r.result ? formatInteger(rate(r.result)) : '-') },
      {
        header: 'vs raw COPY of the events',
        align: 'right',
        cell: (r) => (r.result && baseline ? `${formatFixed((100 * rate(r.result)) / rate(baseline), 0)}%` : '-'),
      },
      { header: 'peak RSS MB', align: 'right', cell: (r) => (r.peakRssMb === undefined ? '-' : formatInteger(r.peakRssMb)) },
      { header: 'how', cell: (r) => r.result?.note ?? r.error?.split('\n')[0] ?? '' },
    ],
    rows,
  );
}
