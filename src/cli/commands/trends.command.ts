import { QueryBus } from '@nestjs/cqrs';
import type { Command } from 'commander';
import type { GptmeModelDiff, GptmeTrendsReport } from '../../../projections/eval/trends-gptme.js';
import type { StatisticalTrendEntry } from '../../../projections/eval/trends-statistical.js';
import type { PooledTrendEntry } from '../../../projections/eval/trends-pooled.js';
import { pooledTrendsParamsSchema, trendsParamsSchema } from '../../eval-read-models/queries/eval-query-params.js';
import { GetPooledTrendsQuery } from '../../eval-read-models/queries/get-pooled-trends.query.js';
import { GetTrendsQuery } from '../../eval-read-models/queries/get-trends.query.js';
import { gptmeDiffTable, gptmeTrendsTable, pooledTrendsTable, statisticalTrendsTable } from '../../eval-read-models/render.js';
import { CliError } from '../support/known-errors.js';
import { collectPages, pagingNote, pagingOptions, type Page } from '../support/list-paging.js';
import { defaultReadModelDeps, outputFormat, parsedOrUsageError, type ReadModelCommandDeps } from '../support/read-model-options.js';
import { withReadSource, type RawParams } from '../support/read-source.js';
import { rowsCsv } from '../support/rows-csv.js';

type Options = Record<string, string | boolean | undefined>;

/** `lessonloop trends [--rules gptme|statistical] [--format json|csv|table] [--limit n] [--offset n] ...` */
export function register(program: Command, deps: ReadModelCommandDeps = defaultReadModelDeps): void {
  program
    .command('trends')
    .description("regressions, improvements, flaky and stable tests; --rules gptme reproduces gptme's eval_trends.py")
    .option('--rules <rules>', 'gptme or statistical', 'statistical')
    .option('--rule-set <id>', 'statistical: parameters from this rule set (RuleSetDefined)')
    .option('--format <format>', 'json, csv (statistical) or table', 'table')
    .option('--model <substring>', 'filter by model substring')
    .option('--last <n>', 'gptme: only the last N runs per model/test')
    .option('--regressions', 'gptme: show only regressions (table, as gptme)')
    .option('--improvements', 'gptme: show only improvements (table, as gptme)')
    .option('--diff', 'gptme: compare each model\'s latest run with its previous one')
    .option('--label <label>', 'statistical: only this label')
    .option('--limit <n>', 'statistical: at most n rows (default: every row; a note on stderr says when rows are left out)')
    .option('--offset <n>', 'statistical: skip the first n rows', '0')
    .option('--pooled [pool]', "statistical: the pooled drop tests instead (a model across its tests, a test across models); 'model' or 'test' for one kind")
    .option('--no-catch-up', 'answer from the read models as they are, without projecting new events first')
    .action(async (o: Options, command: Command) => {
      const format = outputFormat(String(o.format), ['json', 'csv', 'table']);
      if (o.pooled !== undefined) return pooled(o, format, deps, command);
      if (o.rules === 'gptme') return gptme(o, format, deps, command);
      const paging = pagingOptions(o);
      const raw = defined({ rules: 'statistical', ruleSet: o.ruleSet, model: o.model, label: o.label });
      parsedOrUsageError(() => trendsParamsSchema.parse(raw));
      const page = await withReadSource(command, deps, catchUp(o, raw.ruleSet), (source) =>
        collectPages(
          (offset, limit) =>
            source.run<Page<StatisticalTrendEntry>>('/trends', { ...raw, offset: String(offset), limit: String(limit) }, (app, r) =>
              app.get(QueryBus).execute(new GetTrendsQuery(parsedOrUsageError(() => trendsParamsSchema.parse(r))))),
          paging,
        ),
      );
      const note = pagingNote(page, paging);
      if (note) process.stderr.write(note);
      if (format === 'json') deps.stdout.write(`${JSON.stringify(page.items, null, 2)}\n`);
      else deps.stdout.write(format === 'csv' ? rowsCsv(page.items) : statisticalTrendsTable(page.items));
    });
}

function defined(values: Record<string, unknown>): RawParams {
  return Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

const catchUp = (o: Options, trendsRuleSet: string | undefined) => ({
  enabled: o.catchUp !== false,
  projections: ['trends'],
  ...(trendsRuleSet ? { trendsRuleSet } : {}),
});

/** gptme's report (or --diff): an object of lists as gptme prints it, not a paged list. */
async function gptme(o: Options, format: string, deps: ReadModelCommandDeps, command: Command): Promise<void> {
  if (format === 'csv') throw new CliError('--format csv: the statistical trends only (--rules gptme prints gptme\'s report)', 2);
  const table = format === 'table';
  const raw = defined({
    rules: 'gptme',
    model: o.model,
    last: o.last,
    diff: o.diff ? 'true' : undefined,
    // gptme applies --regressions / --improvements to its table only, not to --format json.
    regressions: o.regressions && table ? 'true' : undefined,
    improvements: o.improvements && table ? 'true' : undefined,
  });
  const params = parsedOrUsageError(() => trendsParamsSchema.parse(raw));
  const result = await withReadSource(command, deps, catchUp(o, undefined), (source) =>
    source.run<unknown>('/trends', raw, (app) => app.get(QueryBus).execute(new GetTrendsQuery(params))),
  );
  if (!table) deps.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else deps.stdout.write(params.diff ? gptmeDiffTable(result as Record<string, GptmeModelDiff>) : gptmeTrendsTable(result as GptmeTrendsReport));
}

async function pooled(o: Options, format: string, deps: ReadModelCommandDeps, command: Command): Promise<void> {
  const raw = parsedOrUsageError(() => {
    if (o.rules === 'gptme') throw new Error('--pooled: only with --rules statistical');
    return defined({ ruleSet: o.ruleSet, pool: typeof o.pooled === 'string' ? o.pooled : undefined });
  });
  const params = parsedOrUsageError(() => pooledTrendsParamsSchema.parse(raw));
  const result = await withReadSource(command, deps, catchUp(o, params.ruleSet), (source) =>
    source.run<{ models?: PooledTrendEntry[]; tests?: PooledTrendEntry[] }>('/trends/pooled', raw, (app) =>
      app.get(QueryBus).execute(new GetPooledTrendsQuery(params))),
  );
  const pools = [...(result.models ?? []), ...(result.tests ?? [])];
  deps.stdout.write(format === 'json' ? `${JSON.stringify(pools, null, 2)}\n` : format === 'csv' ? rowsCsv(pools) : pooledTrendsTable(pools));
}
