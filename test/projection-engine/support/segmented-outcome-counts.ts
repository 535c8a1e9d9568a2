/**
 * outcome-counts split into segments like test-history (by model, format and test): its rows are counters, so
 * an event applied twice or lost shows in them (test-history's upserts by event id would hide a double apply).
 */
import { outcomeCounts } from '../../../projections/eval/outcome-counts.js';
import { BY_MODEL_FORMAT_AND_TEST } from '../../../projections/eval/outcome-segments.js';

export const segmentedOutcomeCounts: typeof outcomeCounts = { ...outcomeCounts, segmentation: BY_MODEL_FORMAT_AND_TEST };
