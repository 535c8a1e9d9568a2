import { formatFixed, formatInteger, markdownTable } from '../support/table.js';
import type { Job, JobResult } from './jobs.js';

export interface MeasuredRow {
  label: string;
  job: Job;
  result?: JobResult;
  peakRssMb?: number;
  error?: string;
}

const rate = (r: JobResult) => r.events / r.seconds;

function rssAt(row: MeasuredRow, mark: number | 'end'): string {
  const marks = row.result?.rssAt ?? [];
  const found = mark === 'end' ? marks[marks.length - 1] : marks.find((m) => m.events === mark);
  return found ? formatInteger(found.peakMb) : '-';
}

export function resultsTable(rows: MeasuredRow[], mark: number): string {
  const raw = rows.find((r) => r.job.kind === 'raw-cursor')?.result;
  return markdownTable<MeasuredRow>(
    [
      { header: 'measurement', cell: (r) => r.label },
      { header: 'events', align: 'right', cell: (r) => (r.result ? formatInteger(r.result.events) : '-') },
      { header: 'seconds', align: 'right', cell: (r) => (r.result ? formatFixed(r.result.seconds, 1) : r.error ? 'FAILED' : '-') },
      { header: 'events/s', align: 'right', cell: (r) => (r.result ? formatInteger(rate(r.result)) : '-') },
      {
        header: 'vs raw cursor read',
        align: 'right',
        cell: (r) => (r.result && raw ? `${formatFixed((100 * rate(r.result)) / rate(raw), 0)}%` : '-'),
      },
      { header: `peak RSS MB at ${formatInteger(mark)}`, align: 'right', cell: (r) => rssAt(r, mark) },
      { header: 'peak RSS MB at the end', align: 'right', cell: (r) => rssAt(r, 'end') },
      { header: 'how', cell: (r) => r.result?.note ?? r.error?.split('\n')[0] ?? '' },
    ],
    rows,
  );
}

export interface Verdict {
  line: string;
  pass: boolean;
}

/** The benchmark's targets: >= 60% of the raw read, faster than Emmett, RSS flat, same read model as Emmett. */
export function verdicts(rows: MeasuredRow[], mark: number): Verdict[] {
  const get = (kind: string) => rows.find((r) => r.job.kind === kind)?.result;
  const raw = get('raw-cursor');
  const ours = get('ours');
  const emmett = get('emmett');
  const out: Verdict[] = [];
  if (ours && raw) {
    const ratio = rate(ours) / rate(raw);
    out.push({ pass: ratio >= 0.6, line: `rebuild >= 60% of the raw cursor read: ${formatFixed(100 * ratio, 0)}%` });
  }
  if (ours && emmett) {
    const ratio = rate(ours) / rate(emmett);
    out.push({ pass: ratio > 1, line: `rebuild faster than Emmett's projector: ${formatFixed(ratio, 1)}x` });
  }
  if (ours) {
    const atMark = ours.rssAt.find((m) => m.events === mark);
    const atEnd = ours.rssAt[ours.rssAt.length - 1];
    if (atMark && atEnd) {
      const growth = atEnd.peakMb - atMark.peakMb;
      out.push({
        pass: growth <= Math.max(32, atMark.peakMb * 0.1),
        line: `rebuild peak RSS flat: ${formatInteger(atMark.peakMb)} MB at ${formatInteger(mark)} events, ${formatInteger(atEnd.peakMb)} MB at ${formatInteger(atEnd.events)}`,
      });
    }
  }
  if (ours?.check && emmett?.check && emmett.events === ours.events) {
    const same = JSON.stringify(ours.check) === JSON.stringify(emmett.check);
    out.push({ pass: same, line: `same read model as Emmett's: ${JSON.stringify(ours.check)}${same ? '' : ` vs ${JSON.stringify(emmett.check)}`}` });
  }
  return out;
}
