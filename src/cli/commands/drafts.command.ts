import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import type { Command } from 'commander';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port.js';
import { detectDrafts } from '../../drafts/detection/detect-drafts.js';
import { draftRulesOf, UnknownDraftRuleSetError } from '../../drafts/detection/draft-rule-set.js';
import { configuredDrafter } from '../../drafts/drafter/configured-drafter.js';
import { DrafterError } from '../../drafts/drafter/openai-drafter.js';
import { DraftsService } from '../../drafts/drafts.service.js';
import { DraftAlreadyReviewedError, DraftNotFoundError } from '../../drafts/review/draft-decider.js';
import { allDrafts, DRAFT_STATUSES, type DraftStatus } from '../../drafts/review/list-drafts.js';
import { renderDetection, renderDraft, renderDraftLine, renderSideBySide, sideBySide } from '../../drafts/review/render-drafts.js';
import { openLogRoot } from '../../gptme-logs/index.js';
import { withAppContext } from '../support/app-context.js';
import { checkArguments } from '../support/argument-limits.js';
import { CliError } from '../support/known-errors.js';
import { outputFormat } from '../support/read-model-options.js';

export interface DraftsCommandDeps {
  stdout: { write(text: string): unknown };
  withContext: <T>(fn: (app: INestApplicationContext) => Promise<T>) => Promise<T>;
}

const defaultDeps: DraftsCommandDeps = { stdout: process.stdout, withContext: (fn) => withAppContext(fn) };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function draftId(id: string): string {
  if (!UUID.test(id)) throw new CliError(`<id> must be a draft id (a uuid), got ${id}`, 2);
  return id.toLowerCase();
}

async function known<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof DraftNotFoundError || error instanceof DraftAlreadyReviewedError || error instanceof UnknownDraftRuleSetError || error instanceof DrafterError) {
      throw new CliError(error.message);
    }
    throw error;
  }
}

const service = (app: INestApplicationContext) => new DraftsService(app.get<EventStore>(EVENT_STORE));

/** `lessonloop drafts detect|list|show|accept|reject|export`: lesson drafts from recurring failures (docs/drafts.md). */
export function register(program: Command, deps: DraftsCommandDeps = defaultDeps): void {
  const drafts = program.command('drafts').description('lesson drafts proposed from recurring failures');
  const json = (value: unknown) => deps.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  drafts
    .command('detect')
    .description('read failing outcomes\' logs under LESSONLOOP_LOG_ROOT, find recurring patterns and propose a draft for each one no active lesson covers; again appends nothing')
    .option('--log-root <dir>', 'the log root (default: LESSONLOOP_LOG_ROOT)')
    .option('--rule-set <id>', 'detect with this rule set\'s lesson-drafts rules', 'default')
    .option('--dry-run', 'list the drafts these rules would propose beside the current ones, writing nothing', false)
    .option('--format <format>', 'text or json', 'text')
    .action(async (o: { logRoot?: string; ruleSet: string; dryRun: boolean; format: string }) => {
      outputFormat(o.format, ['text', 'json']);
      checkArguments([['--rule-set', o.ruleSet, 'identifier'], ['--log-root', o.logRoot, 'path']]);
      if (o.logRoot !== undefined) {
        const opened = await openLogRoot(o.logRoot);
        if (!opened.ok) throw new CliError(`--log-root ${o.logRoot}: ${opened.error.reason.replace('LESSONLOOP_LOG_ROOT', 'the log root')}; nothing was written`, 2);
      }
      const result = await deps.withContext(async (app) => {
        const config = app.get<AppConfig>(APP_CONFIG);
        const store = app.get<EventStore>(EVENT_STORE);
        const logRoot = o.logRoot ?? config.LESSONLOOP_LOG_ROOT;
        if (logRoot !== undefined && !(await openLogRoot(logRoot)).ok) throw new CliError(`LESSONLOOP_LOG_ROOT ${logRoot} is not a readable directory; nothing was written`, 2);
        const { rules, ruleSet } = await known(() => draftRulesOf(store, o.ruleSet));
        const drafter = await known(async () => configuredDrafter(config));
        const detected = await known(() => detectDrafts(store, { logRoot, rules, ruleSet, drafter, dryRun: o.dryRun }));
        const current = o.dryRun ? [...(await allDrafts(store)).values()] : [];
        return { ...detected, ...(o.dryRun ? { sideBySide: sideBySide(detected.drafts, current) } : {}) };
      });
      if (o.format === 'json') json(result);
      else deps.stdout.write(renderDetection(result, o.dryRun) + (result.sideBySide ? renderSideBySide(o.ruleSet, result.sideBySide) : ''));
    });
  drafts
    .command('list')
    .description('the drafts, in the order proposed, with their review')
    .option('--status <status>', DRAFT_STATUSES.join(', '))
    .option('--format <format>', 'text or json', 'text')
    .action(async (o: { status?: string; format: string }) => {
      outputFormat(o.format, ['text', 'json']);
      if (o.status !== undefined && !(DRAFT_STATUSES as readonly string[]).includes(o.status)) throw new CliError(`--status must be one of ${DRAFT_STATUSES.join(', ')}, got ${o.status}`, 2);
      const page = await deps.withContext((app) => service(app).list({ status: o.status as DraftStatus | undefined, limit: Number.MAX_SAFE_INTEGER, evidence: o.format === 'json' }));
      if (o.format === 'json') json(page.drafts);
      else deps.stdout.write(page.drafts.length === 0 ? 'no drafts\n' : `${page.drafts.map(renderDraftLine).join('\n')}\n`);
    });
  drafts
    .command('show')
    .argument('<id>', 'the draft id')
    .option('--format <format>', 'text or json', 'text')
    .description('one draft: pattern, keywords, evidence and its lesson file')
    .action(async (id: string, o: { format: string }) => {
      outputFormat(o.format, ['text', 'json']);
      const view = await deps.withContext((app) => service(app).show(draftId(id)));
      if (!view) throw new CliError(new DraftNotFoundError(id).message);
      if (o.format === 'json') json(view);
      else deps.stdout.write(`${renderDraft(view)}\n`);
    });
  drafts
    .command('accept')
    .argument('<id>', 'the draft id')
    .option('--actor <name>', 'who accepts it', 'cli')
    .description('create the draft\'s lesson with status draft (the bandit tests it); again answers the same lesson')
    .action(async (id: string, o: { actor: string }) => {
      checkArguments([['--actor', o.actor, 'identifier']]);
      const result = await deps.withContext((app) => known(() => service(app).accept(draftId(id), o.actor, 'cli')));
      deps.stdout.write(`draft ${result.draftId} accepted: lesson ${result.lessonId}${result.created ? ' created (status draft)' : ' (already created)'}\n`);
    });
  drafts
    .command('reject')
    .argument('<id>', 'the draft id')
    .requiredOption('--reason <text>', 'why')
    .option('--actor <name>', 'who rejects it', 'cli')
    .description('reject the draft, recording who and why')
    .action(async (id: string, o: { reason: string; actor: string }) => {
      checkArguments([['--actor', o.actor, 'identifier'], ['--reason', o.reason, 'text']]);
      if (o.reason.trim() === '') throw new CliError('--reason must not be empty; nothing was written', 2);
      await deps.withContext((app) => known(() => service(app).reject(draftId(id), o.reason, o.actor, 'cli')));
      deps.stdout.write(`draft ${id} rejected\n`);
    });
  drafts
    .command('export')
    .requiredOption('--to <dir>', 'the lessons folder to write the lesson files into')
    .option('--status <status>', 'which drafts: proposed, accepted, or open (both)', 'open')
    .description('write each draft\'s lesson file (frontmatter match.keywords and status: draft) under <dir>, ready to commit')
    .action(async (o: { to: string; status: string }) => {
      if (!['proposed', 'accepted', 'open'].includes(o.status)) throw new CliError(`--status must be proposed, accepted or open, got ${o.status}`, 2);
      const views = await deps.withContext(async (app) => [...(await allDrafts(app.get<EventStore>(EVENT_STORE))).values()]);
      const chosen = views.filter((v) => (o.status === 'open' ? v.status !== 'rejected' : v.status === o.status));
      const root = path.resolve(o.to);
      for (const v of chosen) {
        const file = path.resolve(root, v.path);
        if (!file.startsWith(root + path.sep)) throw new CliError(`draft ${v.draftId}: its path ${v.path} leads outside ${o.to}; nothing more was written`);
      }
      for (const v of chosen) {
        const file = path.resolve(root, v.path);
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, v.proposal.lesson.file);
        deps.stdout.write(`wrote ${path.relative(process.cwd(), file) || file}  (${v.status} draft ${v.draftId})\n`);
      }
      deps.stdout.write(`${chosen.length} lesson file(s) written under ${o.to}\n`);
    });
}
