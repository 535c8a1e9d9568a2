/** The cells a gate contrast shows, for a pair and for one lesson within it: decision, both arms, delta, p and q. */
import { h } from '../dom.js';
import type { GateArm, GateContrast } from '../types-review.js';
import { signed } from './experiments.js';

const fixed = (v: number | null) => (v === null ? '–' : v.toFixed(3));
const arm = (a: GateArm) => (a.n === 0 ? '–' : `${a.passes}/${a.n} (${((a.passes / a.n) * 100).toFixed(0)}%)`);

export const decision = (c: GateContrast) => h('span', { class: `status ${c.recommendation}`, 'data-recommendation': c.recommendation }, c.recommendation);

export function contrastCells(c: GateContrast): (Node | string)[] {
  const sources = c.withoutLessons.sources;
  return [
    decision(c), arm(c.withLessons),
    h('span', { title: `held out by the coin ${sources.coin}, by a run without lessons ${sources['run-holdout']}` }, arm(c.withoutLessons)),
    signed(c.delta), fixed(c.p), fixed(c.q),
  ];
}

export const CONTRAST_LABELS = ['Decision', 'With lessons', 'Without', 'Delta', 'p', 'q (FDR)'];
