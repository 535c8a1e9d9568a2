/**
 * Reads the injection gate from the `injection-gate` read model under a rule set's query-time rules: every
 * (model, eval) pair (the q-values' family), one pair with each lesson's contrast and the evidence, and the
 * file gptme's eval runner reads.
 */
import type { RuleValues } from '../../projections/machinery/projection.js';
import { lessonGates, pairGates, type GateRecommendation } from '../../projections/injection-gate/gate-decisions.js';
import { gatePairKey, INJECTION_GATE_TABLE, injectionGate, type InjectionGateDoc } from '../../projections/injection-gate/gate-observations.js';
import { resolveInjectionGateRules, type InjectionGateRules } from '../../projections/injection-gate/gate-rules.js';
import { gptmeGateFile, type GateModelKey } from '../../projections/injection-gate/gptme-gate-file.js';
import type { SqlExecutor } from '../database/sql-client.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { currentInstanceId } from '../projection-engine/instances/current-instance.js';
import { readRuleSet } from '../rule-sets/rule-set-stream.js';
import { withGateLessonNames } from './gate-lesson-names.js';

export class InjectionGateNotBuiltError extends Error {
  constructor() {
    super('The injection-gate read model has not been built yet (a running server builds it; or lessonloop projections rebuild injection-gate)');
    this.name = 'InjectionGateNotBuiltError';
  }
}

export class UnknownGateRuleSetError extends Error {
  constructor(readonly ruleSetId: string) {
    super(`No rule set ${ruleSetId} is defined`);
    this.name = 'UnknownGateRuleSetError';
  }
}

export interface GatePage {
  recommendation?: GateRecommendation | undefined;
  offset?: number | undefined;
  /** Absent: every pair from the offset on. */
  limit?: number | undefined;
}

export class InjectionGateReader {
  constructor(private readonly sql: SqlExecutor, private readonly store: EventStore) {}

  async rules(ruleSet: string | undefined): Promise<InjectionGateRules> {
    if (!ruleSet || ruleSet === 'default') return resolveInjectionGateRules();
    const defined = await readRuleSet(this.store, ruleSet);
    if (!defined) throw new UnknownGateRuleSetError(ruleSet);
    return resolveInjectionGateRules(defined.parameters as RuleValues);
  }

  private async docs(): Promise<InjectionGateDoc[]> {
    const instanceId = await currentInstanceId(this.sql, injectionGate.name);
    if (instanceId === null) throw new InjectionGateNotBuiltError();
    const { rows } = await this.sql.query<{ doc: InjectionGateDoc }>(`SELECT doc FROM ${INJECTION_GATE_TABLE} WHERE instance_id = $1 ORDER BY doc_key`, [instanceId]);
    return rows.map((r) => r.doc);
  }

  /**
   * Every pair, without evidence; `page` narrows them to one recommendation and cuts a page (the q-values are
   * still over every pair tested). `counts` are over every pair.
   */
  async pairs(ruleSet: string | undefined, page: GatePage = {}) {
    const rules = await this.rules(ruleSet);
    const all = pairGates(await this.docs(), rules).map(({ evidence: _e, ...rest }) => rest);
    const counts: Record<GateRecommendation, number> = { inject: 0, suppress: 0, default: 0 };
    for (const p of all) counts[p.recommendation] += 1;
    const chosen = page.recommendation ? all.filter((p) => p.recommendation === page.recommendation) : all;
    const offset = page.offset ?? 0;
    const pairs = chosen.slice(offset, page.limit === undefined ? undefined : offset + page.limit);
    return { rules, counts, total: chosen.length, offset, pairs };
  }

  /** One pair (its q-value still from the whole family) with its evidence, and each lesson's own contrast. */
  async pair(model: string, test: string, ruleSet: string | undefined) {
    const rules = await this.rules(ruleSet);
    const docs = await this.docs();
    const key = gatePairKey(model, test);
    const doc = docs.find((d) => gatePairKey(d.model, d.test) === key) ?? (injectionGate.initialDocument(key, {}) as InjectionGateDoc);
    const pair = pairGates(docs.includes(doc) ? docs : [...docs, doc], rules).find((g) => g.model === model && g.test === test)!;
    return { ruleSet: ruleSet ?? 'default', rules, pair, lessons: await withGateLessonNames(this.sql, lessonGates(doc, rules)) };
  }

  async gptmeFile(ruleSet: string | undefined, modelKey: GateModelKey) {
    const rules = await this.rules(ruleSet);
    return gptmeGateFile(pairGates(await this.docs(), rules), modelKey);
  }
}
