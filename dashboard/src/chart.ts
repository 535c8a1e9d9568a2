/** uPlot charts: a time series of rates (0-1) with optional band and vertical marks on the time axis. */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Mark {
  /** Unix seconds. */
  at: number;
  color: string;
  label: string;
}

export interface RateChart {
  el: HTMLElement;
  destroy(): void;
}

const LESSON_COLOR = '#7b3fb5';
const EXTERNAL_COLOR = '#d9730d';
export const MARK_COLORS = { lesson: LESSON_COLOR, external: EXTERNAL_COLOR };

/** Draws a dashed vertical line per mark, over the plotting area. */
function marksPlugin(marks: Mark[]): uPlot.Plugin {
  return {
    hooks: {
      draw: [
        (u: uPlot) => {
          const ctx = u.ctx;
          const { top, height } = u.bbox;
          ctx.save();
          ctx.lineWidth = 2 * uPlot.pxRatio;
          ctx.setLineDash([6 * uPlot.pxRatio, 4 * uPlot.pxRatio]);
          for (const mark of marks) {
            const x = Math.round(u.valToPos(mark.at, 'x', true));
            if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
            ctx.strokeStyle = mark.color;
            ctx.beginPath();
            ctx.moveTo(x, top);
            ctx.lineTo(x, top + height);
            ctx.stroke();
          }
          ctx.restore();
        },
      ],
    },
  };
}

export interface RateSeries {
  label: string;
  color: string;
  /** null: a gap left open when `spanGaps` is false; undefined: no value here, bridged. */
  values: (number | null | undefined)[];
}

/**
 * x: unix seconds. The first series is drawn as a line with points; with `band`, the next two series are its
 * lower and upper bounds, filled between.
 */
export function rateChart(
  container: HTMLElement, x: number[], series: RateSeries[],
  options: { marks?: Mark[]; band?: boolean; title?: string; spanGaps?: boolean; axisLabels?: { x: string; y: string } },
): RateChart {
  const width = () => Math.max(260, Math.min(container.clientWidth || 600, 1100));
  const marks = options.marks ?? [];
  // A single point needs a span to be drawn.
  const span = x.length > 0 ? [Math.min(...x, ...marks.map((m) => m.at)), Math.max(...x, ...marks.map((m) => m.at))] : [0, 1];
  const pad = span[1]! > span[0]! ? (span[1]! - span[0]!) * 0.04 : 3600;
  const plot = new uPlot(
    {
      ...(options.title ? { title: options.title } : {}),
      width: width(),
      height: 260,
      scales: { x: { time: true, range: () => [span[0]! - pad, span[1]! + pad] }, y: { range: [0, 1] } },
      axes: [
        options.axisLabels ? { label: options.axisLabels.x } : {},
        { ...(options.axisLabels ? { label: options.axisLabels.y } : {}), values: (_u, ticks) => ticks.map((t) => `${Math.round(t * 100)}%`) },
      ],
      series: [
        {},
        ...series.map((s, i) => ({
          label: s.label,
          stroke: s.color,
          width: options.band && i > 0 ? 1 : 2,
          points: { show: !(options.band && i > 0), size: 7 },
          spanGaps: options.spanGaps ?? true,
          value: (_u: uPlot, v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)}%`),
        })),
      ],
      ...(options.band ? { bands: [{ series: [3, 2] as [number, number], fill: 'rgba(40, 110, 200, 0.15)' }] } : {}),
      plugins: [marksPlugin(marks)],
    },
    [x, ...series.map((s) => s.values)] as uPlot.AlignedData,
    container,
  );
  const onResize = () => plot.setSize({ width: width(), height: 260 });
  window.addEventListener('resize', onResize);
  return {
    el: container,
    destroy() {
      window.removeEventListener('resize', onResize);
      plot.destroy();
    },
  };
}

export const toSeconds = (iso: string) => Date.parse(iso) / 1000;
