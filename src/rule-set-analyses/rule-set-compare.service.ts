/**
 * What two rule sets conclude differently: the lesson-change experiments (status, sign, significance, models
 * entering or leaving confounded), the lifecycle decisions (lessons archived or promoted under one and not the
 * other, or on another reward), the statistical trend labels (when both trend instances are built) and the
 * lesson effects side by side (when both lesson-effects instances are built).
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Position } from '../../contracts/envelope.js';
import type { BanditRules } from '../../projections/bandit/bandit-rules.js';
import type { RuleValues } from '../../projections/machinery/projection.js';
import type { StatisticalRules } from '../../projections/eval/trends.js';
import type { TrendsFdrRules } from '../../projections/eval/trends-false-discovery.js';
import { SQL_CLIENT, type SqlClient } from '../database/sql-client.js';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port.js';
import { listDifferences } from '../experiments/experiment-listing.js';
import { withLessonNames } from '../lessons/read-model/lesson-titles.js';
import type { CompareParams } from '../experiments/experiment-query-params.js';
import { DEFAULT_RULES_NAME, ExperimentsService } from '../experiments/experiments.service.js';
import { UnknownRuleSetError } from '../projection-engine/instances/rule-sets.js';
import { readRuleSet } from '../rule-sets/rule-set-stream.js';
import { compareEffects, type EffectComparison } from './effect-compare.js';
import { advanceLifecycleFold, compareLifecycle, lifecycleRules, newLifecycleFold, readPolicyEvents, type LifecycleDifference, type LifecycleFold } from './lifecycle-compare.js';
import { compareTrendLabels, isBuilt, loadTrendLabels, trendSource, type NotBuilt, type TrendDifference } from './trend-compare.js';

export type TrendComparison =
  | {
      built: true;
      /** Which rule set's trends instance answered for each side (null: the default instance). */
      instanceA: string | null;
      instanceB: string | null;
      rulesA: StatisticalRules & TrendsFdrRules;
      rulesB: StatisticalRules & TrendsFdrRules;
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
  effects: EffectComparison;
};

/** How many rule sets' lifecycle folds (a whole policy state each) the service keeps between compares. */
export const MAX_CACHED_LIFECYCLE_FOLDS = 8;

/** A rule set's fold and the last log position it has read. */
interface CachedFold {
  fold: LifecycleFold;
  last: Position | undefined;
}

@Injectable()
export class RuleSetCompareService {
  /**
   * The folds of the rule sets compared most recently (least recent first, at most MAX_CACHED_LIFECYCLE_FOLDS);
   * an evicted one is folded again from the start of the log when it is next compared. No events are kept.
   */
  private readonly folds = new Map<string, CachedFold>();
  /** One fold update at a time: two compares of the same rule set must not apply the same events twice. */
  private folding: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly experiments: ExperimentsService,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** The rule set's parameters; null for the default rules. */
  async parameters(ruleSetId: string): Promise<RuleValues | null> {
    if (ruleSetId === DEFAULT_RULES_NAME) return null;
    const defined = await readRuleSet(this.store, ruleSetId);
    if (!defined) throw new UnknownRuleSetError(ruleSetId);
    return defined.parameters;
  }

  async compare(a: string, b: string): Promise<RuleSetComparison> {
    const [parametersA, parametersB] = [await this.parameters(a), await this.parameters(b)];
    const experiments = await this.experiments.compare(a, b);
    const lifecycle = await this.lifecycle(a, parametersA, b, parametersB);
    const trends = await this.trends(a, parametersA, b, parametersB);
    const effects = await compareEffects(this.sql, this.store, a, b);
    return {
      ...experiments,
      summary: {
        ...experiments.summary,
        lifecycleDiffers: lifecycle.differences.length,
        ...(trends.built ? { trendLabelsDiffer: trends.differences.length } : {}),
        ...(effects.built ? { effectsDiffer: effects.differences } : {}),
      },
      lifecycle,
      trends,
      effects,
    };
  }

  /** The compare with the experiment differences filtered, sorted and paged (`summary` counts all of them). */
  async compareListing(params: CompareParams) {
    const { differences, ...result } = await this.compare(params.a, params.b);
    const listed = listDifferences(differences, params);
    return { ...result, ...listed, items: await withLessonNames(this.sql, listed.items) };
  }

  private async lifecycle(a: string, parametersA: RuleValues | null, b: string, parametersB: RuleValues | null): Promise<LifecycleComparison> {
    const rulesA = lifecycleRules(a, parametersA);
    const rulesB = lifecycleRules(b, parametersB);
    const outcomesA = await this.outcomesOf(a, rulesA);
    const outcomesB = await this.outcomesOf(b, rulesB);
    return { rulesA, rulesB, differences: compareLifecycle(outcomesA, outcomesB) };
  }

  /** The rule set's fold brought up to the log's end: from where it stopped, or from the start when not cached. */
  private outcomesOf(ruleSetId: string, rules: BanditRules) {
    const run = this.folding.catch(() => undefined).then(async () => {
      const cached = this.folds.get(ruleSetId) ?? { fold: newLifecycleFold(), last: undefined };
      this.folds.delete(ruleSetId);
      const { events, last } = await readPolicyEvents(this.store, cached.last);
      cached.fold.applied = 0;
      advanceLifecycleFold(cached.fold, events, rules);
      cached.last = last;
      this.folds.set(ruleSetId, cached);
      for (const oldest of this.folds.keys()) {
        if (this.folds.size <= MAX_CACHED_LIFECYCLE_FOLDS) break;
        this.folds.delete(oldest);
      }
      return cached.fold.outcomes;
    });
    this.folding = run;
    return run;
  }

  /** Rule set ids whose folds are cached, least recently compared first. */
  cachedFolds(): string[] {
    return [...this.folds.keys()];
  }

  private async trends(a: string, parametersA: RuleValues | null, b: string, parametersB: RuleValues | null): Promise<TrendComparison> {
    const [sourceA, sourceB] = [trendSource(a, parametersA), trendSource(b, parametersB)];
    const labelsA = await loadTrendLabels(this.sql, sourceA);
    // Same instance, same rules: the same labels (e.g. two rule sets that leave the trend rules alone).
    const sameSource =
      sourceA.instanceRuleSet === sourceB.instanceRuleSet && JSON.stringify([sourceA.rules, sourceA.fdr]) === JSON.stringify([sourceB.rules, sourceB.fdr]);
    const labelsB = sameSource && isBuilt(labelsA) ? { ...labelsA, ruleSetId: b } : await loadTrendLabels(this.sql, sourceB);
    if (!isBuilt(labelsA) || !isBuilt(labelsB)) {
      return { built: false, notBuilt: [labelsA, labelsB].filter((x): x is NotBuilt => !isBuilt(x)) };
    }
    return {
      built: true,
      instanceA: labelsA.instanceRuleSet,
      instanceB: labelsB.instanceRuleSet,
      rulesA: { ...labelsA.rules, ...labelsA.fdr },
      rulesB: { ...labelsB.rules, ...labelsB.fdr },
      differences: compareTrendLabels(labelsA, labelsB),
    };
  }
}
