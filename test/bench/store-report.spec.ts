import { planMeasurements, warmupEventsFor } from '../../bench/store/plan.js';
import { resultsTable, targetLines, type MeasuredRow } from '../../bench/store/report.js';
import { copyTextRow } from '../../bench/support/copy-text.js';
import { markdownTable } from '../../bench/support/table.js';

const plan = planMeasurements({
  events: 10_000,
  postgres: { kind: 'postgres', url: 'postgres://x/y' },
  pglite: { kind: 'pglite', dataDir: '/tmp/x' },
});

function measured(rates: Record<string, number>): MeasuredRow[] {
  return plan.map((planned) =>
    rates[planned.id] === undefined ? { planned } : { planned, result: { events: rates[planned.id]!, seconds: 1 }, peakRssMb: 100 },
  );
}

describe('bench:store report', () => {
  it('passes a target exactly at its ratio and fails just below it', () => {
    const lines = targetLines(
      measured({
        'postgres/emmett.append': 10_000,
        'postgres/ours.append': 20_000,
        'postgres/raw.copy': 40_000,
        'postgres/raw.copy-indexed': 30_000,
        'postgres/ours.append-many': 26_999,
        'postgres/raw.cursor-read': 100_000,
        'postgres/ours.read-all': 70_000,
      }),
    );
    expect(lines.map((l) => l.slice(0, 4))).toEqual(['PASS', 'FAIL', 'PASS']);
    expect(lines[0]).toContain('2.00x');
  });

  it('fails a target whose measurement is missing and says which', () => {
    const lines = targetLines(measured({ 'postgres/emmett.append': 10_000 }));
    expect(lines[0]).toBe("FAIL normal append >= 2x Emmett's append rate: postgres/ours.append was not measured");
  });

  it('prints the ratio against the named peer and n/a rows for PGlite baselines', () => {
    const table = resultsTable(measured({ 'postgres/emmett.append': 10_000, 'postgres/ours.append': 25_000 }));
    expect(table).toMatch(/lessonloop \(PostgreSQL\) +\| append.*\| +25,000 \|.*2\.50x Emmett 0\.42 \(PostgreSQL\)/);
    expect(table).toMatch(/Emmett \(PGlite\) +\| append \/ read: Emmett 0\.42 has no PGlite store +\| +— \| +— \| +n\/a \|/);
  });

  it('runs every PGlite measurement against our store only, and settles the database before reading', () => {
    const pglite = plan.filter((p) => p.id.startsWith('pglite/') && p.job).map((p) => p.job!.measurement);
    expect(pglite.filter((m) => m !== 'settle').every((m) => m.startsWith('ours.'))).toBe(true);
    expect(pglite.indexOf('settle')).toBe(pglite.indexOf('ours.read-all') - 1);
    expect(warmupEventsFor(50_000)).toBe(2_000);
    expect(warmupEventsFor(5_000)).toBe(500);
  });
});

describe('bench support', () => {
  it('escapes COPY text fields', () => {
    expect(copyTextRow(['a\\b', 'tab\there', null, 3, 'line\nbreak'])).toBe('a\\\\b\ttab\\there\t\\N\t3\tline\\nbreak\n');
  });

  it('aligns markdown columns', () => {
    const table = markdownTable([{ header: 'n', align: 'right', cell: (r: number) => String(r) }], [5, 1234]);
    expect(table.split('\n')).toEqual(['|    n |', '| ---: |', '|    5 |', '| 1234 |']);
  });
});
