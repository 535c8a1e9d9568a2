/**
 * The CI gate's inputs: the candidate run's outcomes read from its own stream (exact, whether or not the read
 * models have projected it yet) and each of its series' baseline from the default `trends` instance's stored
 * documents (the same runs GET /trends classifies); the verdict from the pure ciGateVerdict.
 */
import { Inject, Injectable } from '@nestjs/common';
import { ciGateVerdict, type CiGateVerdict } from '../../../projections/eval/ci-gate.js';
import { candidateSeries, ciGateInput } from '../../../projections/eval/ci-gate-input.js';
import { DEFAULT_STATISTICAL_RULES, statisticalRulesSchema, trends, TRENDS_TABLE, type StatSeriesDoc } from '../../../projections/eval/trends.js';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port.js';
import { evalRunStreamId } from '../../ingest/eval-run-events.js';
import { ciGateOptions, UnknownEvalRunError, type CiGateParams } from '../queries/ci-gate-params.js';
import { EvalReadState } from './eval-read-state.js';

/** Document keys a statement asks for at once. */
const KEYS_PER_QUERY = 500;

@Injectable()
export class CiGateReader {
  constructor(
    private readonly shared: EvalReadState,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async verdict(run: string, params: CiGateParams): Promise<CiGateVerdict> {
    const candidate = candidateSeries(run, await this.store.readStream(evalRunStreamId(run)));
    if (candidate.size === 0) throw new UnknownEvalRunError(run);
    const state = await this.shared.state(trends.name);
    const rules = statisticalRulesSchema.parse({ ...DEFAULT_STATISTICAL_RULES, ...state.rules });
    const options = ciGateOptions(params, rules.window);
    const stored = new Map<string, StatSeriesDoc>();
    const keys = [...candidate.keys()];
    for (let i = 0; i < keys.length; i += KEYS_PER_QUERY) {
      const chunk = keys.slice(i, i + KEYS_PER_QUERY);
      const rows = (await this.shared.dataSource.query(
        `SELECT doc_key, doc FROM ${TRENDS_TABLE} WHERE instance_id = $1 AND doc_key IN (${chunk.map((_, k) => `$${k + 2}`).join(', ')})`,
        [state.instanceId, ...chunk],
      )) as { doc_key: string; doc: StatSeriesDoc | string }[];
      for (const r of rows) stored.set(r.doc_key, typeof r.doc === 'string' ? (JSON.parse(r.doc) as StatSeriesDoc) : r.doc);
    }
    return ciGateVerdict(run, ciGateInput(candidate, stored, options.baseline), { ...options.rules, flakyFlipRate: rules.flakyFlipRate, flakyEntropy: rules.flakyEntropy });
  }
}
