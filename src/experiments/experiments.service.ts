/**
 * Experiment analyses per rule set: the rule set's parameters (its `RuleSetDefined`) applied to the current
 * experiment inputs. An analysis is cached per rule set until the inputs' checkpoints move.
 */
import { Inject, Injectable } from '@nestjs/common';
import { compareAnalyses, type ExperimentDifference } from '../../projections/experiments/experiment-compare.js';
import { experimentRules, type ExperimentRules } from '../../projections/experiments/experiment-rules.js';
import { analyzeExperiments, type Experiment } from '../../projections/experiments/experiment-windows.js';
import { HOUR_MS } from '../../projections/experiments/experiment-outcomes.js';
import { windowSeries } from '../../projections/experiments/window-series.js';
import { lessonNames, withLessonNames } from '../lessons/read-model/lesson-titles.js';
import { SQL_CLIENT, type SqlClient } from '../database/sql-client.js';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port.js';
import { UnknownRuleSetError } from '../projection-engine/instances/rule-sets.js';
import { readRuleSet } from '../rule-sets/rule-set-stream.js';
import { listExperiments } from './experiment-listing.js';
import type { ListExperimentsParams } from './experiment-query-params.js';
import { inputsVersion, loadExperimentInputs, type ExperimentInputs } from './experiment-inputs.js';

/** Names the default rules in queries (`?ruleSet=default` or no ruleSet). */
export const DEFAULT_RULES_NAME = 'default';

export interface Analysis {
  ruleSetId: string;
  rules: ExperimentRules;
  /** The instances and checkpoints of the inputs. */
  asOf: string;
  experiments: Experiment[];
}

@Injectable()
export class ExperimentsService {
  private inputs: Promise<ExperimentInputs> | undefined;
  private readonly analyses = new Map<string, Analysis>();

  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async rules(ruleSetId?: string | null): Promise<ExperimentRules> {
    if (!ruleSetId || ruleSetId === DEFAULT_RULES_NAME) return experimentRules();
    // Rule sets live in their own stream (`rule-set-<id>`): no scan of the whole log per query.
    const defined = await readRuleSet(this.store, ruleSetId);
    if (!defined) throw new UnknownRuleSetError(ruleSetId);
    return experimentRules(defined.parameters);
  }

  async analysis(ruleSetId?: string | null): Promise<Analysis> {
    const id = ruleSetId || DEFAULT_RULES_NAME;
    const rules = await this.rules(id);
    const { version } = await inputsVersion(this.sql);
    const cached = this.analyses.get(id);
    if (cached && cached.asOf === version) return cached;
    const inputs = await this.loadInputs(version);
    const analysis: Analysis = { ruleSetId: id, rules, asOf: inputs.version, experiments: analyzeExperiments(inputs.timeline, inputs.buckets, rules) };
    this.analyses.set(id, analysis);
    return analysis;
  }

  /** The experiments of a rule set, filtered, sorted and paged; `counts` by status over all that match. */
  async experiments(params: ListExperimentsParams) {
    const { experiments, ...analysis } = await this.analysis(params.ruleSet);
    const listed = listExperiments(experiments, params);
    return { ...analysis, ...listed, items: await withLessonNames(this.sql, listed.items) };
  }

  async experiment(ruleSetId: string | null | undefined, changeId: string): Promise<{ ruleSetId: string; rules: ExperimentRules; asOf: string; experiment: Experiment } | null> {
    const analysis = await this.analysis(ruleSetId);
    const found = analysis.experiments.find((e) => e.changeId === changeId);
    if (!found) return null;
    const [experiment] = await withLessonNames(this.sql, [found]);
    return { ruleSetId: analysis.ruleSetId, rules: analysis.rules, asOf: analysis.asOf, experiment: experiment! };
  }

  /**
   * The experiment hour by hour across its windows (affected and control outcomes, per model and summed), with
   * the window bounds and each confounder's span (the confound window around it: a lesson change in that span
   * is confounded by it).
   */
  async series(ruleSetId: string | null | undefined, changeId: string) {
    const analysis = await this.analysis(ruleSetId);
    const e = analysis.experiments.find((x) => x.changeId === changeId);
    if (!e) return null;
    const inputs = await this.loadInputs(analysis.asOf);
    const { all, models } = windowSeries(e.at, new Set(e.affectedTests), inputs.buckets, analysis.rules.experimentWindowHours);
    const changeHour = Math.floor(Date.parse(e.at) / HOUR_MS);
    const span = Math.ceil(analysis.rules.experimentWindowHours);
    const iso = (hour: number) => new Date(hour * HOUR_MS).toISOString();
    const confoundMs = analysis.rules.confoundWindowHours * HOUR_MS;
    const name = (await lessonNames(this.sql, [e.lessonId])).get(e.lessonId);
    return {
      ruleSetId: analysis.ruleSetId,
      asOf: analysis.asOf,
      changeId: e.changeId,
      lessonId: e.lessonId,
      lessonTitle: name?.lessonTitle ?? null,
      lessonPath: name?.lessonPath ?? null,
      kind: e.kind,
      at: e.at,
      status: e.status,
      windowHours: analysis.rules.experimentWindowHours,
      confoundWindowHours: analysis.rules.confoundWindowHours,
      before: { from: iso(changeHour - span), to: iso(changeHour) },
      after: { from: iso(changeHour + 1), to: iso(changeHour + 1 + span) },
      affectedTests: e.affectedTests.length,
      confounders: e.confounders.map((c) => ({
        ...c,
        span: { from: new Date(Date.parse(c.at) - confoundMs).toISOString(), to: new Date(Date.parse(c.at) + confoundMs).toISOString() },
      })),
      overall: e.overall ?? null,
      all,
      models: models.map((m) => ({ ...m, status: e.models[m.model]?.status ?? null, confounders: e.models[m.model]?.confounders ?? [], estimate: e.perModel?.[m.model] ?? null })),
    };
  }

  async compare(a: string, b: string): Promise<{ a: string; b: string; rulesA: ExperimentRules; rulesB: ExperimentRules; differences: ExperimentDifference[]; summary: Record<string, number> }> {
    const [analysisA, analysisB] = [await this.analysis(a), await this.analysis(b)];
    const differences = compareAnalyses(analysisA.experiments, analysisB.experiments);
    return {
      a: analysisA.ruleSetId,
      b: analysisB.ruleSetId,
      rulesA: analysisA.rules,
      rulesB: analysisB.rules,
      differences,
      summary: {
        experiments: analysisA.experiments.length,
        statusChanged: differences.filter((d) => d.statusChanged).length,
        signChanged: differences.filter((d) => d.signChanged).length,
        significanceChanged: differences.filter((d) => d.significanceChanged).length,
        modelsChanged: differences.filter((d) => d.models.length > 0).length,
      },
    };
  }

  private async loadInputs(version: string): Promise<ExperimentInputs> {
    const current = await this.inputs?.catch(() => undefined);
    if (current && current.version === version) return current;
    this.inputs = loadExperimentInputs(this.sql);
    return this.inputs;
  }
}
