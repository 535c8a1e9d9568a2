/**
 * Reads lesson effects from the `lesson-effects` read model under a rule set: one lesson (its id document, plus
 * the document of its path from before the lesson existed, merged outcome by outcome), optionally per revision
 * and as of an instant; every lesson ranked by one method; the path references no lesson has yet.
 */
import { familyVerdicts, withFamily } from '../../projections/effects/effect-family.js';
import { EFFECT_METHODS, estimateEffect, estimateEffects, type EffectMethod } from '../../projections/effects/estimate-effects.js';
import type { EffectRules } from '../../projections/effects/effect-rules.js';
import { LESSON_EVIDENCE_TABLE, withEvidence, type EvidenceRow } from '../../projections/effects/lesson-effect-evidence.js';
import {
  addObservation,
  effectDocAsOf,
  LESSON_EFFECTS_TABLE,
  lessonEffects,
  revisionKey,
  type LessonEffectCounts,
  type LessonEffectDoc,
} from '../../projections/effects/lesson-effects.js';
import { resolveRules } from '../../projections/machinery/projection.js';
import type { SqlExecutor } from '../database/sql-client.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { currentInstanceId } from '../projection-engine/instances/current-instance.js';
import { readRuleSet } from '../rule-sets/rule-set-stream.js';
import { catalogueLesson, lessonIdsByPath } from './lesson-paths.js';

export class EffectsNotBuiltError extends Error {
  constructor(readonly ruleSetId: string | null) {
    super(`The lesson-effects read model${ruleSetId ? ` under rule set ${ruleSetId}` : ''} has not been built yet (lessonloop projections rebuild lesson-effects${ruleSetId ? ` --rule-set ${ruleSetId}` : ''})`);
    this.name = 'EffectsNotBuiltError';
  }
}

export class UnknownEffectRuleSetError extends Error {
  constructor(readonly ruleSetId: string) {
    super(`No rule set ${ruleSetId} is defined`);
    this.name = 'UnknownEffectRuleSetError';
  }
}

export interface EffectQuery {
  ruleSet?: string | undefined;
  method?: EffectMethod | undefined;
  asOf?: Date | undefined;
  revision?: number | undefined;
  /** false: the estimates without their evidence lists (the evidence rows are not read unless asOf or a path needs them). */
  evidence?: boolean | undefined;
}

/** doc key -> each method's p: the false-discovery family of one rule set (lessons, or lesson revisions). */
type FamilyPs = Map<string, Record<EffectMethod, number | null>>;

const FAMILY_CACHE_ENTRIES = 16;

export class EffectsReader {
  /** Families by instance, checkpoint and kind: recomputed only when the read model has moved. */
  private readonly families = new Map<string, FamilyPs>();

  constructor(private readonly sql: SqlExecutor, private readonly store: EventStore) {}

  private async scope(ruleSet: string | undefined): Promise<{ instanceId: string; rules: EffectRules }> {
    let parameters: Record<string, unknown> | undefined;
    if (ruleSet && ruleSet !== 'default') {
      const defined = await readRuleSet(this.store, ruleSet);
      if (!defined) throw new UnknownEffectRuleSetError(ruleSet);
      parameters = defined.parameters;
    }
    const instanceId = await currentInstanceId(this.sql, lessonEffects.name, ruleSet === 'default' ? null : ruleSet);
    if (instanceId === null) throw new EffectsNotBuiltError(ruleSet ?? null);
    return { instanceId, rules: resolveRules(lessonEffects, parameters) };
  }

  private async docs(instanceId: string, keys: string[]): Promise<Map<string, LessonEffectCounts>> {
    const { rows } = await this.sql.query<{ doc_key: string; doc: LessonEffectCounts }>(
      `SELECT doc_key, doc FROM ${LESSON_EFFECTS_TABLE} WHERE instance_id = $1 AND doc_key = ANY($2::text[])`,
      [instanceId, keys],
    );
    return new Map(rows.map((r) => [r.doc_key, r.doc]));
  }

  /** The evidence rows of the given document keys (or of every key matching `pattern`), by key. */
  private async evidence(instanceId: string, keys: { keys: string[] } | { pattern: string; revisions: boolean }): Promise<Map<string, EvidenceRow[]>> {
    const where = 'keys' in keys ? 'doc_key = ANY($2::text[])' : `doc_key LIKE $2 AND doc_key ${keys.revisions ? '' : 'NOT '}LIKE '%@r%'`;
    const { rows } = await this.sql.query<EvidenceRow>(
      `SELECT doc_key, chunk::text AS chunk, observations FROM ${LESSON_EVIDENCE_TABLE} WHERE instance_id = $1 AND ${where}`,
      [instanceId, 'keys' in keys ? keys.keys : keys.pattern],
    );
    const byKey = new Map<string, EvidenceRow[]>();
    for (const row of rows) {
      const list = byKey.get(row.doc_key) ?? [];
      list.push(row);
      byKey.set(row.doc_key, list);
    }
    return byKey;
  }

  /** The documents with their evidence; `need(docs)` false: without it (the rows are not read). */
  private async docsWithEvidence(instanceId: string, keys: string[], need: (docs: Map<string, LessonEffectCounts>) => boolean): Promise<Map<string, LessonEffectDoc>> {
    const docs = await this.docs(instanceId, keys);
    const evidence = need(docs) ? await this.evidence(instanceId, { keys }) : new Map<string, EvidenceRow[]>();
    return new Map([...docs].map(([key, doc]) => [key, withEvidence(doc, evidence.get(key) ?? [])]));
  }

  /** Every lesson's (or lesson revision's) p by each method; evidence is left in the database unless `asOf` needs it. */
  private async familyPs(instanceId: string, rules: EffectRules, revisions: boolean, asOf: Date | undefined): Promise<FamilyPs> {
    const { rows: [at] } = await this.sql.query<{ commit_position: string; prepare_position: string }>(
      'SELECT commit_position, prepare_position FROM projection_instances WHERE instance_id = $1',
      [instanceId],
    );
    const cacheKey = `${instanceId}|${at?.commit_position}:${at?.prepare_position}|${revisions}`;
    const cached = asOf ? undefined : this.families.get(cacheKey);
    if (cached) return cached;
    const { rows } = await this.sql.query<{ doc_key: string; doc: LessonEffectCounts }>(
      `SELECT doc_key, doc FROM ${LESSON_EFFECTS_TABLE}
        WHERE instance_id = $1 AND doc_key LIKE 'id:%' AND doc_key ${revisions ? '' : 'NOT '}LIKE '%@r%'`,
      [instanceId],
    );
    const evidence = asOf ? await this.evidence(instanceId, { pattern: 'id:%', revisions }) : new Map<string, EvidenceRow[]>();
    const family: FamilyPs = new Map();
    for (const { doc_key, doc } of rows) {
      const counted = asOf ? effectDocAsOf(withEvidence(doc, evidence.get(doc_key) ?? []), asOf, rules) : { ...doc, evidence: {} };
      family.set(doc_key, Object.fromEntries(EFFECT_METHODS.map((m) => [m, estimateEffect(counted, m, rules).p])) as Record<EffectMethod, number | null>);
    }
    if (!asOf) {
      if (this.families.size >= FAMILY_CACHE_ENTRIES) this.families.delete(this.families.keys().next().value!);
      this.families.set(cacheKey, family);
    }
    return family;
  }

  async lessonEffect(lessonId: string, query: EffectQuery) {
    const { instanceId, rules } = await this.scope(query.ruleSet);
    const lesson = await catalogueLesson(this.sql, lessonId);
    const suffix = (ref: string) => (query.revision === undefined ? ref : revisionKey(ref, query.revision));
    const keys = [suffix(`id:${lessonId}`), ...(lesson?.path ? [suffix(`path:${lesson.path}`)] : [])];
    const withoutEvidence = query.evidence === false;
    // Merging a path's outcomes, or recounting as of an instant, needs the evidence even when it is not shown.
    const found = await this.docsWithEvidence(instanceId, keys, (docs) => !withoutEvidence || query.asOf !== undefined || (keys[1] !== undefined && docs.has(keys[1])));
    let doc = found.get(keys[0]!) ?? { ...(lessonEffects.initialDocument(keys[0]!, rules) as LessonEffectCounts), evidence: {} };
    const byPath = keys[1] ? found.get(keys[1]) : undefined;
    for (const [id, observation] of Object.entries(byPath?.evidence ?? {})) {
      if (!(id in doc.evidence)) doc = addObservation(doc, id, observation, rules);
    }
    if (query.asOf) doc = effectDocAsOf(doc, query.asOf, rules);
    const served = query.method
      ? { [query.method]: estimateEffect(doc, query.method, rules, withoutEvidence) }
      : estimateEffects(doc, rules, withoutEvidence);
    if (withoutEvidence) for (const estimate of Object.values(served)) delete (estimate as { evidence?: unknown }).evidence;
    const family = await this.familyPs(instanceId, rules, query.revision !== undefined, query.asOf);
    const estimates = Object.fromEntries(
      Object.entries(served).map(([method, estimate]) => {
        // The family as stored, with this lesson's p as served (its path's outcomes merged in).
        const ps = new Map([...family].map(([key, p]) => [key, p[method as EffectMethod]]));
        ps.set(keys[0]!, estimate.p);
        const members = [...ps.values()].map((p) => ({ p }));
        const verdict = familyVerdicts(members, rules)[[...ps.keys()].indexOf(keys[0]!)]!;
        return [method, { ...estimate, ...verdict }];
      }),
    );
    return {
      lessonId,
      revision: query.revision ?? null,
      ruleSet: query.ruleSet ?? 'default',
      asOf: query.asOf?.toISOString() ?? null,
      rules,
      infraErrorsExcluded: doc.infraErrorsExcluded + (byPath?.infraErrorsExcluded ?? 0),
      estimates,
    };
  }

  /** Every lesson's estimate by one method, with its q-value in that family, without evidence (ask one lesson for it). */
  async allEffects(ruleSet: string | undefined, method: EffectMethod) {
    const { instanceId, rules } = await this.scope(ruleSet);
    const { rows } = await this.sql.query<{ doc_key: string; doc: LessonEffectCounts }>(
      `SELECT doc_key, doc FROM ${LESSON_EFFECTS_TABLE} WHERE instance_id = $1 AND doc_key LIKE 'id:%' AND doc_key NOT LIKE '%@r%'`,
      [instanceId],
    );
    const estimates = rows.map(({ doc_key, doc }) => {
      const { evidence: _evidence, ...estimate } = estimateEffect({ ...doc, evidence: {} }, method, rules);
      return { lessonId: doc_key.slice(3), ...estimate };
    });
    // The family is every lesson of the rule set, whatever page is asked for.
    return withFamily(estimates, rules);
  }

  /** Paths exposures named that no lesson has (yet): once a lesson has the path, its effect includes them. */
  async unresolvedPaths(ruleSet?: string) {
    const { instanceId } = await this.scope(ruleSet);
    const { rows } = await this.sql.query<{ doc_key: string; doc: LessonEffectCounts }>(
      `SELECT doc_key, doc FROM ${LESSON_EFFECTS_TABLE} WHERE instance_id = $1 AND doc_key LIKE 'path:%' AND doc_key NOT LIKE '%@r%'`,
      [instanceId],
    );
    const paths = rows.map((r) => r.doc_key.slice(5));
    const resolved = await lessonIdsByPath(this.sql, paths);
    return rows
      .filter((r) => !resolved.has(r.doc_key.slice(5)))
      .map((r) => ({ path: r.doc_key.slice(5), outcomes: r.doc.outcomes }))
      .sort((a, b) => (a.path < b.path ? -1 : 1));
  }
}
