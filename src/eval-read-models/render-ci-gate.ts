/** The CI gate's verdict as text for the CLI: a plain table, or Markdown for a CI step summary. */
import type { CiGateHypothesis, CiGateVerdict } from '../../projections/eval/ci-gate.js';
import { table } from './render.js';

const HEADER = ['Kind', 'Model', 'Format', 'Test', 'Baseline', 'Run', 'Drop', 'p', 'q', 'MDE', 'Flaky'];
const rate = (t: { passes: number; attempts: number; pass_rate: number | null }) =>
  `${t.passes}/${t.attempts}${t.pass_rate === null ? '' : ` ${(100 * t.pass_rate).toFixed(0)}%`}`;
const prob = (x: number) => (x < 0.001 ? x.toExponential(1) : x.toFixed(3));

function cells(h: CiGateHypothesis): string[] {
  return [
    h.kind,
    h.model,
    h.format,
    h.test ?? '(all tests)',
    rate(h.baseline),
    rate(h.candidate),
    h.drop === null ? '-' : `${(100 * h.drop).toFixed(1)} pts`,
    prob(h.p),
    prob(h.q),
    h.mde === null ? 'none' : `${(100 * h.mde).toFixed(0)} pts`,
    h.flaky ? 'yes' : 'no',
  ];
}

/** The summary lines both layouts share. */
function summary(v: CiGateVerdict): string[] {
  const { rules: r, counts: c, family } = v;
  const method = r.fdrMethod === 'none' ? `uncorrected p <= ${r.fdrLevel}` : `${r.fdrMethod.toUpperCase()} at q = ${r.fdrLevel}`;
  const seriesMde = v.hypotheses.filter((h) => h.kind === 'series').map((h) => h.mde);
  const known = seriesMde.filter((m): m is number => m !== null).sort((a, b) => a - b);
  const median = known.length > 0 ? `${(100 * known[Math.floor((known.length - 1) / 2)]!).toFixed(0)} pts` : 'none';
  return [
    `ci-gate run ${v.run}: ${v.verdict.toUpperCase()} (${c.failed} of ${family.hypotheses} hypotheses fail; ${method}, min drop ${r.minDrop})`,
    `series: ${c.series}; tested ${c.tested}, no baseline ${c['no-baseline']}, only infra errors ${c['infra-only']}, ` +
      `flaky ${c.flaky} (${r.flaky === 'test' ? 'tested' : `${c['flaky-excluded']} excluded`}); model pools ${family.pools}; infra errors left out: ${c.infra_errors}`,
    `smallest detectable drop of a series (power ${r.mdePower}): median ${median}; ${seriesMde.length - known.length} of ${seriesMde.length} could show no drop`,
  ];
}

export function ciGateTable(v: CiGateVerdict): string {
  const lines = summary(v).join('\n') + '\n';
  if (v.failures.length === 0) return `${lines}no regression survives the correction\n`;
  return `${lines}\n${table(HEADER, v.failures.map(cells))}`;
}

export function ciGateMarkdown(v: CiGateVerdict): string {
  const [title, ...rest] = summary(v);
  const escape = (s: string) => s.replace(/\|/g, '\\|');
  const out = [`### ${escape(title!)}`, '', ...rest.map((l) => `- ${escape(l)}`), ''];
  if (v.failures.length === 0) return `${out.join('\n')}No regression survives the correction.\n`;
  out.push(`| ${HEADER.join(' | ')} |`, `|${HEADER.map(() => '---').join('|')}|`);
  for (const h of v.failures) out.push(`| ${cells(h).map(escape).join(' | ')} |`);
  return `${out.join('\n')}\n`;
}
