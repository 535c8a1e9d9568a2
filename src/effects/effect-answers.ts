/**
 * Answers of `GET /lessons/:id/effect`, kept per (where the read models they come from stand, lesson, query):
 * a repeated request costs one indexed lookup of the lesson-effects and lesson-catalogue instances (ids and
 * checkpoints) instead of the documents, the estimates and the false-discovery family, and gets the very same
 * answer object, so its JSON is written once (SerializedJsonInterceptor). Any batch either instance projects,
 * or a rebuild switched in, changes the version, so an answer is never staler than the read models.
 */
import { lessonCatalogue } from '../../projections/lessons/lesson-catalogue.js';
import { lessonEffects } from '../../projections/effects/lesson-effects.js';
import type { SqlExecutor } from '../database/sql-client.js';
import { DEFAULT_RULE_SET } from '../projection-engine/instances/instance-id.js';

export const MAX_EFFECT_ANSWERS = 512;

export class EffectAnswers {
  private readonly answers = new Map<string, Promise<unknown>>();

  constructor(private readonly sql: SqlExecutor, private readonly maxEntries = MAX_EFFECT_ANSWERS) {}

  /** Where lesson-effects (under the rule set) and the catalogue stand: ids, checkpoints and the rules built with. */
  private async version(ruleSet: string | undefined): Promise<string> {
    const { rows } = await this.sql.query<{ v: string | null }>(
      `SELECT string_agg(cur.name || ':' || i.instance_id || '@' || i.commit_position::text || '/' || i.prepare_position::text || ':' || md5(i.rules::text), ','
                         ORDER BY cur.name) AS v
         FROM projection_current cur JOIN projection_instances i ON i.instance_id = cur.instance_id
        WHERE (cur.name = $1 AND cur.rule_set_id = $2) OR (cur.name = $3 AND cur.rule_set_id = $4)`,
      [lessonEffects.name, ruleSet === undefined || ruleSet === 'default' ? DEFAULT_RULE_SET : ruleSet, lessonCatalogue.name, DEFAULT_RULE_SET],
    );
    return rows[0]?.v ?? '';
  }

  /** The kept answer for `key` at the read models' current version, else `compute()`'s (a failure is not kept). */
  async get<T>(ruleSet: string | undefined, key: unknown, compute: () => Promise<T>): Promise<T> {
    const cacheKey = `${await this.version(ruleSet)}|${JSON.stringify(key)}`;
    let answer = this.answers.get(cacheKey) as Promise<T> | undefined;
    if (!answer) {
      if (this.answers.size >= this.maxEntries) this.answers.delete(this.answers.keys().next().value!);
      answer = compute();
      this.answers.set(cacheKey, answer);
      answer.catch(() => this.answers.delete(cacheKey));
    }
    return answer;
  }
}
