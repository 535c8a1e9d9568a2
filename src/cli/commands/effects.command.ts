import type { Command } from 'commander';
import { EFFECT_METHODS, type EffectMethod } from '../../../projections/effects/estimate-effects.js';
import { SQL_CLIENT, type SqlClient } from '../../database/sql-client.js';
import { EffectsNotBuiltError, EffectsReader, UnknownEffectRuleSetError } from '../../effects/effects-reader.js';
import { sortEffects } from '../../effects/effects.controller.js';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port.js';
import { checkArguments } from '../support/argument-limits.js';
import { CliError } from '../support/known-errors.js';
import { defaultReadModelDeps, outputFormat, type ReadModelCommandDeps } from '../support/read-model-options.js';

type Row = { lessonId: string; method: string; n: number; effect: number | null; lower: number | null; upper: number | null; p: number | null; q: number | null; clipped?: number; significant: boolean; observational: boolean };

const num = (x: number | null | undefined, digits = 3) => (x === null || x === undefined ? '-' : x.toFixed(digits));

function table(rows: Row[]): string {
  const lines = rows.map((r) =>
    [r.lessonId, r.method, String(r.n), num(r.effect), `[${num(r.lower)}, ${num(r.upper)}]`, num(r.p, 4), num(r.q, 4), r.significant ? 'yes' : 'no', r.observational ? 'observational' : 'randomized'].join('\t'),
  );
  return `${['lesson', 'method', 'n', 'effect', 'interval', 'p', 'q', 'significant', 'kind'].join('\t')}\n${lines.join('\n')}\n`;
}

/** `lessonloop effects [--lesson <id>] [--method m] [--rule-set id] [--sort effect|width|n] [--format json|table]` */
export function register(program: Command, deps: ReadModelCommandDeps = defaultReadModelDeps): void {
  program
    .command('effects')
    .description('lesson effects from exposure: randomized holdout, stratified LOO, naive LOO, IPW (from the lesson-effects read model as projected)')
    .option('--lesson <id>', 'one lesson, every method (with its evidence in json)')
    .option('--method <method>', EFFECT_METHODS.join(', '), 'randomized-holdout')
    .option('--rule-set <id>', 'the lesson-effects instance of this rule set')
    .option('--sort <key>', 'effect, width or n', 'effect')
    .option('--format <format>', 'json or table', 'table')
    .action(async (o: Record<string, string | undefined>) => {
      checkArguments([['--lesson', o.lesson, 'identifier'], ['--rule-set', o.ruleSet, 'identifier']]);
      const format = outputFormat(String(o.format), ['json', 'table']);
      const method = String(o.method) as EffectMethod;
      if (!EFFECT_METHODS.includes(method)) throw new CliError(`--method must be one of ${EFFECT_METHODS.join(', ')}, got ${method}`, 2);
      if (!['effect', 'width', 'n'].includes(String(o.sort))) throw new CliError(`--sort must be effect, width or n, got ${o.sort}`, 2);
      const result = await deps.withContext(async (app) => {
        const reader = new EffectsReader(app.get<SqlClient>(SQL_CLIENT), app.get<EventStore>(EVENT_STORE));
        try {
          if (o.lesson) return await reader.lessonEffect(o.lesson, { ruleSet: o.ruleSet });
          return sortEffects(await reader.allEffects(o.ruleSet, method), o.sort as 'effect' | 'width' | 'n', 'desc');
        } catch (error) {
          if (error instanceof EffectsNotBuiltError || error instanceof UnknownEffectRuleSetError) throw new CliError(error.message, 1);
          throw error;
        }
      });
      if (format === 'json') {
        deps.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      const rows: Row[] = Array.isArray(result)
        ? result.map((r) => ({ ...r }))
        : Object.values(result.estimates).map((e) => ({ ...e, lessonId: result.lessonId }));
      deps.stdout.write(table(rows));
    });
}
