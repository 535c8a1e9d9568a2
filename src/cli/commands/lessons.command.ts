import { QueryBus } from '@nestjs/cqrs';
import type { Command } from 'commander';
import { table } from '../../eval-read-models/render.js';
import { listLessonsPageParamsSchema } from '../../lessons/queries/list-lessons-params.js';
import { ListLessonsQuery, type LessonsPage } from '../../lessons/queries/list-lessons.query.js';
import { collectPages, pagingNote, pagingOptions } from '../support/list-paging.js';
import { defaultReadModelDeps, outputFormat, parsedOrUsageError, type ReadModelCommandDeps } from '../support/read-model-options.js';
import { withReadSource, type RawParams } from '../support/read-source.js';
import { rowsCsv } from '../support/rows-csv.js';

const COLUMNS = ['lessonId', 'title', 'path', 'category', 'status', 'deleted', 'revision', 'createdAt', 'updatedAt'] as const;

/** `lessonloop lessons list [--deleted] [--status s] [--q text] [--format table|csv|json] [--limit n] [--offset n]` */
export function register(program: Command, deps: ReadModelCommandDeps = defaultReadModelDeps): void {
  const lessons = program.commands.find((c) => c.name() === 'lessons') ?? program.command('lessons').description('the lesson catalogue');
  lessons
    .command('list')
    .description('the lessons in the catalogue (GET /lessons; in this process: the catalogue read model as projected), by path; --deleted lists the deleted ones too')
    .option('--deleted', 'deleted lessons too (marked in the deleted column)')
    .option('--status <statuses>', 'only these statuses, comma-separated')
    .option('--category <category>', 'only this category')
    .option('--q <text>', 'id, title, description or path containing this text')
    .option('--format <format>', 'table, csv or json', 'table')
    .option('--limit <n>', 'at most n lessons (default: every one; a note on stderr says when rows are left out)')
    .option('--offset <n>', 'skip the first n lessons', '0')
    .action(async (o: Record<string, string | boolean | undefined>, command: Command) => {
      const format = outputFormat(String(o.format), ['table', 'csv', 'json']);
      const paging = pagingOptions(o);
      const raw: RawParams = Object.fromEntries(
        Object.entries({ includeDeleted: o.deleted ? 'true' : undefined, status: o.status, category: o.category, q: o.q }).filter(
          (e): e is [string, string] => typeof e[1] === 'string',
        ),
      );
      parsedOrUsageError(() => listLessonsPageParamsSchema.parse(raw));
      const page = await withReadSource(command, deps, { enabled: false }, (source) =>
        collectPages(
          (offset, limit) =>
            source.run<LessonsPage>('/lessons', { ...raw, offset: String(offset), limit: String(limit) }, (app, r) =>
              app.get(QueryBus).execute(new ListLessonsQuery(parsedOrUsageError(() => listLessonsPageParamsSchema.parse(r))))),
          paging,
        ),
      );
      const note = pagingNote(page, paging);
      if (note) process.stderr.write(note);
      const rows = page.items.map((l) => Object.fromEntries(COLUMNS.map((c) => [c, l[c]])));
      if (format === 'json') deps.stdout.write(`${JSON.stringify(page.items, null, 2)}\n`);
      else if (format === 'csv') deps.stdout.write(rowsCsv(rows, COLUMNS));
      else {
        const shown = page.items.map((l) => [l.title, l.path ?? '-', l.status, l.deleted ? 'deleted' : '', l.lessonId]);
        deps.stdout.write(table(['Title', 'Path', 'Status', 'Deleted', 'Id'], shown));
      }
    });
}
