/**
 * An experiment's windows as a picture: affected and control pass rate per hour with outcomes, the before and
 * after windows shaded, the change as a solid line, each confounder as a dashed line labelled with its kind and
 * its span (the confound window around it) hatched. Hours without outcomes on one side are bridged within a
 * window, never across the change.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Counts, SeriesPoint, WindowConfounder } from './types-drilldown.js';

export const AFFECTED_COLOR = '#c0392b';
export const CONTROL_COLOR = '#286ec8';
export const CHANGE_COLOR = '#1d2330';
export const CONFOUNDER_COLOR = '#d9730d';

export interface WindowPicture {
  at: string;
  before: { from: string; to: string };
  after: { from: string; to: string };
  confounders: WindowConfounder[];
  points: SeriesPoint[];
}

const sec = (iso: string) => Date.parse(iso) / 1000;
const rate = (c: Counts): number | undefined => (c.passed + c.failed === 0 ? undefined : c.passed / (c.passed + c.failed));

/** x in unix seconds (the middle of each hour), a null point at the change so no line crosses it. */
export function windowData(pic: WindowPicture): [number[], (number | null | undefined)[], (number | null | undefined)[]] {
  const change = sec(pic.at);
  const rows: [number, number | null | undefined, number | null | undefined][] = pic.points
    .filter((p) => p.offset !== 0)
    .map((p) => [sec(p.hour) + 1800, rate(p.affected), rate(p.control)]);
  rows.push([change, null, null]);
  rows.sort((x, y) => x[0] - y[0]);
  return [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])];
}

function shade(u: uPlot, from: number, to: number, fill: string): void {
  const left = Math.max(u.bbox.left, u.valToPos(from, 'x', true));
  const right = Math.min(u.bbox.left + u.bbox.width, u.valToPos(to, 'x', true));
  if (right <= left) return;
  u.ctx.fillStyle = fill;
  u.ctx.fillRect(left, u.bbox.top, right - left, u.bbox.height);
}

function vline(u: uPlot, at: number, color: string, dash: number[], label: string | null): void {
  const x = Math.round(u.valToPos(at, 'x', true));
  if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
  const ctx = u.ctx;
  ctx.strokeStyle = color;
  ctx.lineWidth = 2 * uPlot.pxRatio;
  ctx.setLineDash(dash.map((d) => d * uPlot.pxRatio));
  ctx.beginPath();
  ctx.moveTo(x, u.bbox.top);
  ctx.lineTo(x, u.bbox.top + u.bbox.height);
  ctx.stroke();
  ctx.setLineDash([]);
  if (label) {
    ctx.fillStyle = color;
    ctx.font = `${11 * uPlot.pxRatio}px system-ui, sans-serif`;
    ctx.fillText(label, x + 3 * uPlot.pxRatio, u.bbox.top + 12 * uPlot.pxRatio);
  }
}

function hatch(u: uPlot, from: number, to: number): void {
  const left = Math.max(u.bbox.left, u.valToPos(from, 'x', true));
  const right = Math.min(u.bbox.left + u.bbox.width, u.valToPos(to, 'x', true));
  if (right <= left) return;
  const ctx = u.ctx;
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, u.bbox.top, right - left, u.bbox.height);
  ctx.clip();
  ctx.fillStyle = 'rgba(217, 115, 13, 0.08)';
  ctx.fillRect(left, u.bbox.top, right - left, u.bbox.height);
  ctx.strokeStyle = 'rgba(217, 115, 13, 0.35)';
  ctx.lineWidth = uPlot.pxRatio;
  const step = 10 * uPlot.pxRatio;
  for (let x = left - u.bbox.height; x < right; x += step) {
    ctx.beginPath();
    ctx.moveTo(x, u.bbox.top + u.bbox.height);
    ctx.lineTo(x + u.bbox.height, u.bbox.top);
    ctx.stroke();
  }
  ctx.restore();
}

function windowsPlugin(pic: WindowPicture, labels: boolean): uPlot.Plugin {
  return {
    hooks: {
      drawAxes: [(u: uPlot) => {
        u.ctx.save();
        shade(u, sec(pic.before.from), sec(pic.before.to), 'rgba(40, 110, 200, 0.07)');
        shade(u, sec(pic.after.from), sec(pic.after.to), 'rgba(26, 138, 74, 0.08)');
        for (const c of pic.confounders) hatch(u, sec(c.span.from), sec(c.span.to));
        u.ctx.restore();
      }],
      draw: [(u: uPlot) => {
        u.ctx.save();
        for (const c of pic.confounders) vline(u, sec(c.at), CONFOUNDER_COLOR, [5, 3], labels ? c.kind : null);
        vline(u, sec(pic.at), CHANGE_COLOR, [], labels ? 'change' : null);
        u.ctx.restore();
      }],
    },
  };
}

export interface WindowChartOptions {
  width: () => number;
  height: number;
  title?: string;
  /** Kind labels on the lines and axis titles (off for small multiples). */
  full: boolean;
}

export function windowChart(container: HTMLElement, pic: WindowPicture, options: WindowChartOptions): { destroy(): void } {
  const [x, affected, control] = windowData(pic);
  const series = (label: string, stroke: string) => ({
    label, stroke, width: 2, spanGaps: false, points: { show: true, size: 6 },
    value: (_u: uPlot, v: number | null) => (v === null || v === undefined ? '–' : `${(v * 100).toFixed(0)}%`),
  });
  const plot = new uPlot(
    {
      ...(options.title ? { title: options.title } : {}),
      width: options.width(),
      height: options.height,
      legend: { show: options.full },
      scales: { x: { time: true, range: () => [sec(pic.before.from), sec(pic.after.to)] }, y: { range: [0, 1] } },
      axes: [
        { ...(options.full ? { label: 'event time (UTC), hours with outcomes' } : {}), size: options.full ? 50 : 30 },
        { ...(options.full ? { label: 'pass rate' } : {}), size: options.full ? 55 : 48, values: (_u, ticks) => ticks.map((t) => `${Math.round(t * 100)}%`) },
      ],
      series: [{}, series('affected tests', AFFECTED_COLOR), series('control tests', CONTROL_COLOR)],
      plugins: [windowsPlugin(pic, options.full)],
    },
    [x, affected, control] as uPlot.AlignedData,
    container,
  );
  const onResize = () => plot.setSize({ width: options.width(), height: options.height });
  window.addEventListener('resize', onResize);
  return {
    destroy() {
      window.removeEventListener('resize', onResize);
      plot.destroy();
    },
  };
}
