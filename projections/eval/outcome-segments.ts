/**
 * The segmentation of eval read models whose rows are partitioned by model, tool format and test: every
 * outcome of one (model, tool format, test) goes to the same segment, in log order. test-history keys each row
 * by its outcome event, so any partition keeps its rows whole; this one also keeps a test's history together.
 */
import type { RecordedEvent } from '../../contracts/envelope.js';
import type { TestOutcomeRecordedData } from '../../contracts/eval.js';
import type { Segmentation } from '../machinery/segmentation.js';

export const BY_MODEL_FORMAT_AND_TEST: Segmentation = {
  count: 4,
  by: 'model, tool format and test',
  key(event: RecordedEvent): string {
    const outcome = event.data as TestOutcomeRecordedData;
    return `${outcome.model}\u0000${outcome.toolFormat ?? ''}\u0000${outcome.test}`;
  },
};
