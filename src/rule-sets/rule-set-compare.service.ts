/**
 * What two rule sets conclude differently: the lesson-change experiments (status, sign, significance, models
 * entering or leaving confounded), the lifecycle decisions (lessons archived or promoted under one and not the
 * other, or on another reward) and the statistical trend labels (when both trend instances are built).
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Position, RecordedEvent } from '../../contracts/envelope.js';
import type { BanditRules } from '../../projections/bandit-rules.js';
import type { RuleValues } from '../../projections/projection.js';
import type { StatisticalRules } from '../../projections/trends.js';
import { SQL_CLIENT, type SqlClient } from '../database/sql-client.js';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port.js';
import { listDifferences } from '../experiments/experiment-listing.js';
import type { CompareParams } from '../experiments/experiment-query-params.js';
import { DEFAULT_RULES_NAME, ExperimentsService } from '../experiments/experiments.service.js';
import { UnknownRuleSetError } from '../projection-engine/rule-sets.js';
import { ruleSetFromStream } from './define-rule-set.js';
import { advanceLifecycleFold, compareLifecycle, lifecycleRules, newLifecycleFold, readPolicyEvents, type LifecycleDifference, type LifecycleFold } from './lifecycle-compare.js';
import { compareTrendLabels, isBuilt, loadTrendLabels, trendSource, type NotBuilt, type TrendDifference } from './trend-compare.js';

export type TrendComparison =
  | {
      built: true;
      /** Which rule set's trends instance answered for each side (null: the default instance). */
      instanceA: string | null;
      instanceB: string | null;
      rulesA: StatisticalRules;
      rulesB: StatisticalRules;
      differences: TrendDifference[];
    }
  | { built: false; notBuilt: NotBuilt[] };

export interface LifecycleComparison {
  rulesA: BanditRules;
  rulesB: BanditRules;
  differences: LifecycleDifference[];
}

export type RuleSetComparison = Awaited<ReturnType<ExperimentsService['compare']>> & {
  lifecycle: LifecycleComparison;
  trends: TrendComparison;
};

@Injectable()
export class RuleSetCompareService {
  /** The policy's events read so far (the list only grows) and the fold of each rule set over them. */
  private readonly policyEvents: RecordedEvent[] = [];
  private readAfter: Position | undefined;
  private reading: Promise<void> = Promise.resolve();
  private readonly folds = new Map<string, LifecycleFold>();

  constructor(
    private readonly experiments: ExperimentsService,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** The rule set's parameters; null for the default rules. */
  async parameters(ruleSetId: string): Promise<RuleValues | null> {
    if (ruleSetId === DEFAULT_RULES_NAME) return null;
    const defined = await ruleSetFromStream(this.store, ruleSetId);
    if (!defined) throw new UnknownRuleSetError(ruleSetId);
    return defined.parameters;
  }

  async compare(a: string, b: string): Promise<RuleSetComparison> {
    const [parametersA, parametersB] = [await this.parameters(a), await this.parameters(b)];
    const experiments = await this.experiments.compare(a, b);
    const lifecycle = await this.lifecycle(a, parametersA, b, parametersB);
    const trends = await this.trends(a, parametersA, b, parametersB);
    return {
      ...experiments,
      summary: {
        ...experiments.summary,
        lifecycleDiffers: lifecycle.differences.length,
        ...(trends.built ? { trendLabelsDiffer: trends.differences.length } : {}),
      },
      lifecycle,
      trends,
    };
  }

  /** The compare with the experiment differences filtered, sorted and paged (`summary` counts all of them). */
  async compareListing(params: CompareParams) {
    const { differences, ...result } = await this.compare(params.a, params.b);
    return { ...result, ...listDifferences(differences, params) };
  }

  private async lifecycle(a: string, parametersA: RuleValues | null, b: string, parametersB: RuleValues | null): Promise<LifecycleComparison> {
    const rulesA = lifecycleRules(a, parametersA);
    const rulesB = lifecycleRules(b, parametersB);
    await this.readNewPolicyEvents();
    const outcomesOf = (id: string, rules: BanditRules) => {
      const fold = this.folds.get(id) ?? newLifecycleFold();
      this.folds.set(id, fold);
      return advanceLifecycleFold(fold, this.policyEvents, rules).outcomes;
    };
    return { rulesA, rulesB, differences: compareLifecycle(outcomesOf(a, rulesA), outcomesOf(b, rulesB)) };
  }

  /** Reads what the log gained since the last compare (one read at a time: the list stays in log order). */
  private readNewPolicyEvents(): Promise<void> {
    this.reading = this.reading
      .catch(() => undefined)
      .then(async () => {
        const { events, last } = await readPolicyEvents(this.store, this.readAfter);
        for (const event of events) this.policyEvents.push(event);
        this.readAfter = last;
      });
    return this.reading;
  }

  private async trends(a: string, parametersA: RuleValues | null, b: string, parametersB: RuleValues | null): Promise<TrendComparison> {
    const [sourceA, sourceB] = [trendSource(a, parametersA), trendSource(b, parametersB)];
    const labelsA = await loadTrendLabels(this.sql, sourceA);
    // Same instance, same rules: the same labels (e.g. two rule sets that leave the trend rules alone).
    const sameSource = sourceA.instanceRuleSet === sourceB.instanceRuleSet && JSON.stringify(sourceA.rules) === JSON.stringify(sourceB.rules);
    const labelsB = sameSource && isBuilt(labelsA) ? { ...labelsA, ruleSetId: b } : await loadTrendLabels(this.sql, sourceB);
    if (!isBuilt(labelsA) || !isBuilt(labelsB)) {
      return { built: false, notBuilt: [labelsA, labelsB].filter((x): x is NotBuilt => !isBuilt(x)) };
    }
    return {
      built: true,
      instanceA: labelsA.instanceRuleSet,
      instanceB: labelsB.instanceRuleSet,
      rulesA: labelsA.rules,
      rulesB: labelsB.rules,
      differences: compareTrendLabels(labelsA, labelsB),
    };
  }
}
