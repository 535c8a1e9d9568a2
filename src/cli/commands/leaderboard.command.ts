import { QueryBus } from '@nestjs/cqrs';
import type { Command } from 'commander';
import type { DefaultLeaderboardRow } from '../../../projections/eval/leaderboard-default.js';
import type { GptmeLeaderboardRow } from '../../../projections/eval/leaderboard-gptme.js';
import { leaderboardParamsSchema } from '../../eval-read-models/queries/eval-query-params.js';
import { GetLeaderboardQuery } from '../../eval-read-models/queries/get-leaderboard.query.js';
import { defaultLeaderboardTable, gptmeLeaderboardCsv, gptmeLeaderboardTable } from '../../eval-read-models/render.js';
import { collectPages, pagingNote, pagingOptions, type Page } from '../support/list-paging.js';
import { defaultReadModelDeps, outputFormat, parsedOrUsageError, type ReadModelCommandDeps } from '../support/read-model-options.js';
import { withReadSource, type RawParams } from '../support/read-source.js';
import { rowsCsv } from '../support/rows-csv.js';

/** The default mode's CSV columns: the API's row fields, numbers as numbers. */
export const LEADERBOARD_CSV_COLUMNS = [
  'model', 'format', 'suite', 'tests', 'attempts', 'passes', 'pass_rate', 'wilson_lower', 'wilson_upper', 'k', 'pass_at_k',
  'tests_with_repeats', 'outcomes', 'infra_errors', 'cost_usd', 'cost_per_pass', 'tokens_per_pass',
] as const;

/** `lessonloop leaderboard [--mode gptme|default] [--format json|csv|table] [--limit n] [--offset n] ...` */
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
    .option('--limit <n>', 'at most n rows (default: every row; a note on stderr says when rows are left out)')
    .option('--offset <n>', 'skip the first n rows', '0')
    .option('--no-catch-up', 'answer from the read models as they are, without projecting new events first')
    .action(async (o: Record<string, string | boolean | undefined>, command: Command) => {
      const format = outputFormat(String(o.format), ['json', 'csv', 'table']);
      const paging = pagingOptions(o);
      const raw: RawParams = Object.fromEntries(
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
        }).filter((e): e is [string, string] => typeof e[1] === 'string'),
      );
      const params = parsedOrUsageError(() => leaderboardParamsSchema.parse(raw));
      const page = await withReadSource(command, deps, { enabled: o.catchUp !== false, projections: ['leaderboard'] }, (source) =>
        collectPages(
          (offset, limit) =>
            source.run<Page<unknown>>('/leaderboard', { ...raw, offset: String(offset), limit: String(limit) }, (app, r) =>
              app.get(QueryBus).execute(new GetLeaderboardQuery(parsedOrUsageError(() => leaderboardParamsSchema.parse(r))))),
          paging,
        ),
      );
      const note = pagingNote(page, paging);
      if (note) process.stderr.write(note);
      if (params.mode === 'gptme') {
        const rows = page.items as GptmeLeaderboardRow[];
        deps.stdout.write(format === 'json' ? `${JSON.stringify(rows, null, 2)}\n` : format === 'csv' ? gptmeLeaderboardCsv(rows) : gptmeLeaderboardTable(rows));
      } else {
        const rows = page.items as DefaultLeaderboardRow[];
        deps.stdout.write(format === 'json' ? `${JSON.stringify(rows, null, 2)}\n` : format === 'csv' ? rowsCsv(rows, LEADERBOARD_CSV_COLUMNS) : defaultLeaderboardTable(rows));
      }
    });
}
