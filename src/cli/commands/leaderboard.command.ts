import { QueryBus } from '@nestjs/cqrs';
import type { Command } from 'commander';
import type { DefaultLeaderboardRow } from '../../../projections/eval/leaderboard-default.js';
import type { GptmeLeaderboardRow } from '../../../projections/eval/leaderboard-gptme.js';
import { leaderboardParamsSchema } from '../../eval-read-models/queries/eval-query-params.js';
import { GetLeaderboardQuery } from '../../eval-read-models/queries/get-leaderboard.query.js';
import {
  defaultLeaderboardCsv,
  defaultLeaderboardTable,
  gptmeLeaderboardCsv,
  gptmeLeaderboardTable,
} from '../../eval-read-models/render.js';
import { defaultReadModelDeps, outputFormat, parsedOrUsageError, upToDate, type ReadModelCommandDeps } from '../support/read-model-options.js';

/** `lessonloop leaderboard [--mode gptme|default] [--format json|csv|table] ...` */
export function register(program: Command, deps: ReadModelCommandDeps = defaultReadModelDeps): void {
  program
    .command('leaderboard')
    .description("model leaderboard; --mode gptme reproduces gptme's leaderboard exactly")
    .option('--mode <mode>', 'gptme or default', 'default')
    .option('--format <format>', 'json, csv or table', 'table')
    .option('--model <model>', 'default mode: exact model; gptme mode: substring')
    .option('--tool-format <format>', 'only this tool format (`default` for none)')
    .option('--suite <suite>', 'only this suite (default mode)')
    .option('--by-suite', 'one row per suite (default mode)')
    .option('--k <k>', 'pass@k (default mode)')
    .option('--min-tests <n>', 'drop (model, format) pairs with fewer tests (gptme mode: 4)')
    .option('--as-of <instant>', 'state as of this ISO-8601 instant (default mode)')
    .option('--from <instant>', 'time window start, ISO-8601 (default mode)')
    .option('--no-catch-up', 'answer from the read models as they are, without projecting new events first')
    .action(async (o: Record<string, string | boolean | undefined>) => {
      const format = outputFormat(String(o.format), ['json', 'csv', 'table']);
      const params = parsedOrUsageError(() =>
        leaderboardParamsSchema.parse(
          Object.fromEntries(
            Object.entries({
              mode: o.mode,
              model: o.model,
              format: o.toolFormat,
              suite: o.suite,
              bySuite: o.bySuite ? 'true' : undefined,
              k: o.k,
              minTests: o.minTests,
              asOf: o.asOf,
              from: o.from,
              limit: String(500),
            }).filter(([, v]) => v !== undefined),
          ),
        ),
      );
      const result = await deps.withContext(async (app) => {
        await upToDate(app, o.catchUp !== false);
        return app.get(QueryBus).execute(new GetLeaderboardQuery(params)) as Promise<{ items: unknown[] }>;
      });
      if (params.mode === 'gptme') {
        const rows = result.items as GptmeLeaderboardRow[];
        deps.stdout.write(format === 'json' ? `${JSON.stringify(rows, null, 2)}\n` : format === 'csv' ? gptmeLeaderboardCsv(rows) : gptmeLeaderboardTable(rows));
      } else {
        const rows = result.items as DefaultLeaderboardRow[];
        deps.stdout.write(format === 'json' ? `${JSON.stringify(rows, null, 2)}\n` : format === 'csv' ? defaultLeaderboardCsv(rows) : defaultLeaderboardTable(rows));
      }
    });
}
