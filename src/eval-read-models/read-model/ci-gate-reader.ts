/**
 * The CI gate's inputs: the candidate run's outcomes read from its own stream (exact, whether or not the read
 * models have projected it yet) and each of its series' baseline from the stored documents of the `trends`
 * instance GET /trends?ruleSet= reads (the same runs it classifies); the rules from the rule set's `ci-gate`
 * family, then the request; the verdict from the pure ciGateVerdict.
 */
import { Inject, Injectable } from '@nestjs/common';
import { ciGateVerdict, type CiGateVerdict } from '../../../projections/eval/ci-gate.js';
import { candidateSeries, ciGateInput } from '../../../projections/eval/ci-gate-input.js';
import { resolveCiGateRules } from '../../../projections/eval/ci-gate-rules.js';
import type { RuleValues } from '../../../projections/machinery/projection.js';
import { DEFAULT_STATISTICAL_RULES, statisticalRulesSchema, trends, TRENDS_TABLE, type StatSeriesDoc } from '../../../projections/eval/trends.js';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port.js';
import { evalRunStreamId } from '../../ingest/eval-run-events.js';
import { readRuleSet } from '../../rule-sets/rule-set-stream.js';
import { ciGateOptions, UnknownEvalRunError, type CiGateParams } from '../queries/ci-gate-params.js';
import { EvalReadState } from './eval-read-state.js';
import { trendsRuleSetResolver } from './trends-rule-set.js';

/** Document keys a statement asks for at once. */
const KEYS_PER_QUERY = 500;

@Injectable()
export class CiGateReader {
  private readonly instanceFor: ReturnType<typeof trendsRuleSetResolver>;

  constructor(
    private readonly shared: EvalReadState,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {
    this.instanceFor = trendsRuleSetResolver(store);
  }

  async verdict(run: string, params: CiGateParams): Promise<CiGateVerdict> {
    const candidate = candidateSeries(run, await this.store.readStream(evalRunStreamId(run)));
    if (candidate.size === 0) throw new UnknownEvalRunError(run);
    const choice = await this.instanceFor(params.ruleSet);
    const state = await this.shared.state(trends.name, choice.instanceRuleSet, choice.build);
    const rules = statisticalRulesSchema.parse({ ...DEFAULT_STATISTICAL_RULES, ...state.rules });
    const ruleSet = choice.ruleSet === null ? null : ((await readRuleSet(this.store, choice.ruleSet))?.parameters as RuleValues | undefined);
    const base = resolveCiGateRules(ruleSet, { flakyFlipRate: rules.flakyFlipRate, flakyEntropy: rules.flakyEntropy });
    const options = ciGateOptions(params, rules.window, base);
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
    return ciGateVerdict(run, ciGateInput(candidate, stored, options.baseline), options.rules);
  }
}
