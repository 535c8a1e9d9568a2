/**
 * How eval outcomes are grouped and ordered by the leaderboard, trends and test-history read models. Pure.
 */
import type { RecordedEvent } from '../../contracts/envelope.js';
import type { TestOutcomeRecordedData } from '../../contracts/eval.js';

/** Stored for "no tool format" wherever the format is part of a key. */
export const NO_FORMAT = '';

/**
 * gptme's own (model, format) as its leaderboard.py and trends.py derive them: split the raw Model string on
 * its last `@` whatever the suffix is (`openrouter/z-ai/glm-5@z-ai` becomes format `z-ai`); without `@`, the
 * Tool Format column (empty when the CSV has none).
 */
export function gptmeModelFormat(rawModel: string, toolFormat: string | null): { model: string; format: string } {
  const at = rawModel.lastIndexOf('@');
  if (at >= 0) return { model: rawModel.slice(0, at), format: rawModel.slice(at + 1) };
  return { model: rawModel, format: toolFormat ?? NO_FORMAT };
}

/** gptme's trends key: `model@format`, or the bare model when the format is empty. */
export function gptmeModelKey(model: string, format: string): string {
  return format ? `${model}@${format}` : model;
}

/** How gptme shows an empty format. */
export function formatLabel(format: string): string {
  return format || 'default';
}

/** Runs in world-time order (event time), then by run id: for gptme folders, its sort by folder name. */
export function runOrderKey(event: RecordedEvent, runId: string): string {
  return `${new Date(event.metadata.occurredAt).toISOString()}|${runId}`;
}

/** Outcomes in run order, then in the order they were recorded within the run (gptme's row order). */
export function outcomeOrderKey(event: RecordedEvent, runId: string): string {
  return `${runOrderKey(event, runId)}|${event.globalPosition.toString().padStart(20, '0')}`;
}

export function outcomeOf(event: RecordedEvent): TestOutcomeRecordedData {
  return event.data as TestOutcomeRecordedData;
}
