/** Filters of the trends lists that the projections' pure rules do not know about: format, suite, time window. */
import type { GptmeSeriesSummary } from '../../../projections/eval/trends-gptme.js';
import type { StatisticalTrendEntry } from '../../../projections/eval/trends-statistical.js';
import { inTimeWindow } from '../../common/time-window.js';
import { seriesKey } from './suite-series.js';

export interface SeriesFilter {
  /** A tool format, or `default` for none. */
  format?: string;
  /** Event time of the series' latest outcome: inclusive... */
  from?: string;
  /** ...and exclusive. */
  to?: string;
}

/** The format part of gptme's `model@format` key (split on the last @, as gptme does); `default` when none. */
export function gptmeKeyFormat(modelKey: string): string {
  const at = modelKey.lastIndexOf('@');
  return at > 0 ? modelKey.slice(at + 1) : 'default';
}

/** gptme series kept by the filter; `suite`: keys (seriesKey(model@format, test)) of the suite's series. */
export function filterGptmeSeries(series: readonly GptmeSeriesSummary[], filter: SeriesFilter, suite: Set<string> | null): GptmeSeriesSummary[] {
  const { from, to } = filter;
  return series.filter(
    (s) =>
      (filter.format === undefined || gptmeKeyFormat(s.model) === filter.format) &&
      (suite === null || suite.has(seriesKey(s.model, s.test))) &&
      // The order key starts with the outcome's event time (ISO, UTC).
      inTimeWindow(s.latestAt?.slice(0, s.latestAt.indexOf('|')), from, to),
  );
}

export interface StatFilter extends SeriesFilter {
  /** Case-insensitive substring of the model. */
  model?: string;
  test?: string;
}

/** Statistical entries kept by the filter; `suite`: keys (seriesKey(model, format label, test)) of the suite's series. */
export function filterStatEntries<E extends StatisticalTrendEntry>(entries: readonly E[], filter: StatFilter, suite: Set<string> | null): E[] {
  const model = filter.model?.toLowerCase();
  const { from, to } = filter;
  return entries.filter(
    (e) =>
      (model === undefined || e.model.toLowerCase().includes(model)) &&
      (filter.format === undefined || e.format === filter.format) &&
      (filter.test === undefined || e.test === filter.test) &&
      (suite === null || suite.has(seriesKey(e.model, e.format, e.test))) &&
      inTimeWindow(e.latest_run_at, from, to),
  );
}
