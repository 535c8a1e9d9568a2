import { QueryBus } from '@nestjs/cqrs';
import type { Command } from 'commander';
import type { GptmeModelDiff, GptmeTrendsReport } from '../../../projections/eval/trends-gptme.js';
import type { StatisticalTrendEntry } from '../../../projections/eval/trends-statistical.js';
import type { PooledTrendEntry } from '../../../projections/eval/trends-pooled.js';
import { pooledTrendsParamsSchema, trendsParamsSchema } from '../../eval-read-models/queries/eval-query-params.js';
import { GetPooledTrendsQuery } from '../../eval-read-models/queries/get-pooled-trends.query.js';
import { GetTrendsQuery } from '../../eval-read-models/queries/get-trends.query.js';
import { gptmeDiffTable, gptmeTrendsTable, pooledTrendsTable, statisticalTrendsTable } from '../../eval-read-models/render.js';
import { defaultReadModelDeps, outputFormat, parsedOrUsageError, upToDate, type ReadModelCommandDeps } from '../support/read-model-options.js';

/** `lessonloop trends [--rules gptme|statistical] [--format json|table] ...` */
export function register(program: Command, deps: ReadModelCommandDeps = defaultReadModelDeps): void {
  program
    .command('trends')
    .description("regressions, improvements, flaky and stable tests; --rules gptme reproduces gptme's eval_trends.py")
    .option('--rules <rules>', 'gptme or statistical', 'statistical')
    .option('--rule-set <id>', 'statistical: parameters from this rule set (RuleSetDefined)')
    .option('--format <format>', 'json or table', 'table')
    .option('--model <substring>', 'filter by model substring')
    .option('--last <n>', 'gptme: only the last N runs per model/test')
    .option('--regressions', 'gptme: show only regressions (table, as gptme)')
    .option('--improvements', 'gptme: show only improvements (table, as gptme)')
    .option('--diff', 'gptme: compare each model\'s latest run with its previous one')
    .option('--label <label>', 'statistical: only this label')
    .option('--pooled [pool]', "statistical: the pooled drop tests instead (a model across its tests, a test across models); 'model' or 'test' for one kind")
    .option('--no-catch-up', 'answer from the read models as they are, without projecting new events first')
    .action(async (o: Record<string, string | boolean | undefined>) => {
      const format = outputFormat(String(o.format), ['json', 'table']);
      if (o.pooled !== undefined) {
        await pooled(o, format, deps);
        return;
      }
      const gptmeTable = o.rules === 'gptme' && format === 'table';
      const params = parsedOrUsageError(() =>
        trendsParamsSchema.parse(
          Object.fromEntries(
            Object.entries({
              rules: o.rules,
              ruleSet: o.ruleSet,
              model: o.model,
              last: o.last,
              diff: o.diff ? 'true' : undefined,
              // gptme applies --regressions / --improvements to its table only, not to --format json.
              regressions: o.regressions && gptmeTable ? 'true' : undefined,
              improvements: o.improvements && gptmeTable ? 'true' : undefined,
              label: o.label,
              ...(o.rules === 'gptme' ? {} : { limit: '500' }),
            }).filter(([, v]) => v !== undefined),
          ),
        ),
      );
      const result = await deps.withContext(async (app) => {
        await upToDate(app, o.catchUp !== false, params.rules === 'statistical' ? params.ruleSet : undefined);
        return app.get(QueryBus).execute(new GetTrendsQuery(params)) as Promise<unknown>;
      });
      if (format === 'json') {
        const shown = params.rules === 'statistical' ? (result as { items: unknown[] }).items : result;
        deps.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
        return;
      }
      if (params.rules === 'gptme') {
        deps.stdout.write(params.diff ? gptmeDiffTable(result as Record<string, GptmeModelDiff>) : gptmeTrendsTable(result as GptmeTrendsReport));
      } else {
        deps.stdout.write(statisticalTrendsTable((result as { items: StatisticalTrendEntry[] }).items));
      }
    });
}

async function pooled(o: Record<string, string | boolean | undefined>, format: string, deps: ReadModelCommandDeps): Promise<void> {
  const params = parsedOrUsageError(() => {
    if (o.rules === 'gptme') throw new Error('--pooled: only with --rules statistical');
    return pooledTrendsParamsSchema.parse({
      ...(o.ruleSet !== undefined ? { ruleSet: o.ruleSet } : {}),
      ...(typeof o.pooled === 'string' ? { pool: o.pooled } : {}),
    });
  });
  const result = (await deps.withContext(async (app) => {
    await upToDate(app, o.catchUp !== false, params.ruleSet);
    return app.get(QueryBus).execute(new GetPooledTrendsQuery(params)) as Promise<{ models?: PooledTrendEntry[]; tests?: PooledTrendEntry[] }>;
  }));
  const pools = [...(result.models ?? []), ...(result.tests ?? [])];
  deps.stdout.write(format === 'json' ? `${JSON.stringify(pools, null, 2)}\n` : pooledTrendsTable(pools));
}
