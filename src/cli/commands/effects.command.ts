import type { INestApplicationContext } from '@nestjs/common';
import type { Command } from 'commander';
import { EFFECT_METHODS, type EffectMethod } from '../../../projections/effects/estimate-effects.js';
import { SQL_CLIENT, type SqlClient } from '../../database/sql-client.js';
import { EffectsNotBuiltError, EffectsReader, UnknownEffectRuleSetError } from '../../effects/effects-reader.js';
import { sortEffects } from '../../effects/effects.controller.js';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port.js';
import { checkArguments } from '../support/argument-limits.js';
import { CliError } from '../support/known-errors.js';
import { withLessonNames } from '../../lessons/read-model/lesson-titles.js';
import { collectPages, pagingNote, pagingOptions, type Page } from '../support/list-paging.js';
import { defaultReadModelDeps, outputFormat, type ReadModelCommandDeps } from '../support/read-model-options.js';
import { withReadSource } from '../support/read-source.js';
import { rowsCsv } from '../support/rows-csv.js';

type LessonEffect = Awaited<ReturnType<EffectsReader['lessonEffect']>> & { lessonTitle?: string | null };

type Row = { lessonId: string; lessonTitle?: string | null; method: string; n: number; effect: number | null; lower: number | null; upper: number | null; p: number | null; q: number | null; clipped?: number; significant: boolean; observational: boolean };

const num = (x: number | null | undefined, digits = 3) => (x === null || x === undefined ? '-' : x.toFixed(digits));

function table(rows: Row[]): string {
  const lines = rows.map((r) =>
    [r.lessonTitle ?? '-', r.lessonId, r.method, String(r.n), num(r.effect), `[${num(r.lower)}, ${num(r.upper)}]`, num(r.p, 4), num(r.q, 4), r.significant ? 'yes' : 'no', r.observational ? 'observational' : 'randomized'].join('\t'),
  );
  return `${['title', 'lesson', 'method', 'n', 'effect', 'interval', 'p-value', 'q-value', 'significant', 'kind'].join('\t')}\n${lines.join('\n')}\n`;
}

/** `lessonloop effects [--lesson <id>] [--method m] [--rule-set id] [--sort effect|width|n] [--format json|csv|table] [--limit n]` */
export function register(program: Command, deps: ReadModelCommandDeps = defaultReadModelDeps): void {
  program
    .command('effects')
    .description('lesson effects from exposure: randomized holdout, stratified LOO, naive LOO, IPW (from the lesson-effects read model as projected)')
    .option('--lesson <id>', 'one lesson, every method (with its evidence in json)')
    .option('--method <method>', EFFECT_METHODS.join(', '), 'randomized-holdout')
    .option('--rule-set <id>', 'the lesson-effects instance of this rule set')
    .option('--sort <key>', 'effect, width or n', 'effect')
    .option('--format <format>', 'json, csv or table', 'table')
    .option('--limit <n>', 'at most n lessons (default: every one; a note on stderr says when rows are left out)')
    .option('--offset <n>', 'skip the first n lessons', '0')
    .action(async (o: Record<string, string | undefined>, command: Command) => {
      checkArguments([['--lesson', o.lesson, 'identifier'], ['--rule-set', o.ruleSet, 'identifier']]);
      const format = outputFormat(String(o.format), ['json', 'csv', 'table']);
      const method = String(o.method) as EffectMethod;
      if (!EFFECT_METHODS.includes(method)) throw new CliError(`--method must be one of ${EFFECT_METHODS.join(', ')}, got ${method}`, 2);
      if (!['effect', 'width', 'n'].includes(String(o.sort))) throw new CliError(`--sort must be effect, width or n, got ${o.sort}`, 2);
      const paging = pagingOptions(o);
      const ruleSet: Record<string, string> = o.ruleSet ? { ruleSet: o.ruleSet } : {};
      const result = await withReadSource(command, deps, { enabled: false }, async (source) => {
        if (o.lesson) {
          return source.run<LessonEffect>(`/lessons/${encodeURIComponent(o.lesson)}/effect`, ruleSet, (app) =>
            known(async () => (await withLessonNames(app.get<SqlClient>(SQL_CLIENT), [await reader(app).lessonEffect(o.lesson!, { ruleSet: o.ruleSet })]))[0]!),
          );
        }
        return collectPages(
          (offset, limit) =>
            source.run<Page<Row>>('/effects', { ...ruleSet, method, sort: String(o.sort), order: 'desc', offset: String(offset), limit: String(limit) }, (app) =>
              known(async () => {
                const rows = sortEffects(await reader(app).allEffects(o.ruleSet, method), o.sort as 'effect' | 'width' | 'n', 'desc');
                return { total: rows.length, items: await withLessonNames(app.get<SqlClient>(SQL_CLIENT), rows.slice(offset, offset + limit)) };
              }),
            ),
          paging,
        );
      });
      if (!('items' in result)) {
        const rows: Row[] = Object.values(result.estimates).map((e) => ({ ...e, lessonId: result.lessonId, lessonTitle: result.lessonTitle ?? null }));
        deps.stdout.write(format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : format === 'csv' ? rowsCsv(rows) : table(rows));
        return;
      }
      const note = pagingNote(result, paging);
      if (note) process.stderr.write(note);
      deps.stdout.write(format === 'json' ? `${JSON.stringify(result.items, null, 2)}\n` : format === 'csv' ? rowsCsv(result.items) : table(result.items));
    });
}

const reader = (app: INestApplicationContext) => new EffectsReader(app.get<SqlClient>(SQL_CLIENT), app.get<EventStore>(EVENT_STORE));

async function known<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof EffectsNotBuiltError || error instanceof UnknownEffectRuleSetError) throw new CliError(error.message, 1);
    throw error;
  }
}
