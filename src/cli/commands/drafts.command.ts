import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import type { Command } from 'commander';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port.js';
import { UnknownDraftRuleSetError } from '../../drafts/detection/draft-rule-set.js';
import { DetectionLogRootError, type DetectionAnswer } from '../../drafts/detection/run-detection.js';
import { DrafterError } from '../../drafts/drafter/openai-drafter.js';
import { DraftsService } from '../../drafts/drafts.service.js';
import { DraftAlreadyReviewedError, DraftNotFoundError } from '../../drafts/review/draft-decider.js';
import { DRAFT_STATUSES, type DraftStatus, type DraftView } from '../../drafts/review/list-drafts.js';
import { renderDetection, renderDraft, renderDraftLine, renderSideBySide } from '../../drafts/review/render-drafts.js';
import { openLogRoot } from '../../gptme-logs/index.js';
import { withAppContext } from '../support/app-context.js';
import { checkArguments } from '../support/argument-limits.js';
import { CliError } from '../support/known-errors.js';
import { outputFormat } from '../support/read-model-options.js';
import { remoteAccept, remoteDetect, remoteDraft, remoteDrafts, remoteReject } from '../transport/remote-drafts.js';
import { ServerClient } from '../transport/server-client.js';
import { serverTarget } from '../transport/server-target.js';

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
    if (error instanceof DetectionLogRootError) throw new CliError(error.message, 2);
    throw error;
  }
}

const service = (app: INestApplicationContext) => new DraftsService(app.get<EventStore>(EVENT_STORE), app.get<AppConfig>(APP_CONFIG));

/** The server holding the store (or named by --server), when there is one: every drafts command then goes through its API. */
async function serverOf(command: Command): Promise<ServerClient | undefined> {
  const server = await serverTarget(command);
  return server ? new ServerClient(server) : undefined;
}

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
    .action(async (o: { logRoot?: string; ruleSet: string; dryRun: boolean; format: string }, command: Command) => {
      outputFormat(o.format, ['text', 'json']);
      checkArguments([['--rule-set', o.ruleSet, 'identifier'], ['--log-root', o.logRoot, 'path']]);
      const client = await serverOf(command);
      let result: DetectionAnswer;
      if (client) {
        // The server reads the logs: --log-root names a folder on its machine, under its import root.
        result = await remoteDetect(client, { ruleSet: o.ruleSet, dryRun: o.dryRun, ...(o.logRoot !== undefined ? { logRoot: o.logRoot } : {}) });
      } else {
        if (o.logRoot !== undefined) {
          const opened = await openLogRoot(o.logRoot);
          if (!opened.ok) throw new CliError(`--log-root ${o.logRoot}: ${opened.error.reason.replace('LESSONLOOP_LOG_ROOT', 'the log root')}; nothing was written`, 2);
        }
        result = await deps.withContext((app) =>
          known(() => service(app).detect({ logRoot: o.logRoot ?? app.get<AppConfig>(APP_CONFIG).LESSONLOOP_LOG_ROOT, ruleSet: o.ruleSet, dryRun: o.dryRun })),
        );
      }
      if (o.format === 'json') json(result);
      else deps.stdout.write(renderDetection(result, o.dryRun) + (result.sideBySide ? renderSideBySide(o.ruleSet, result.sideBySide) : ''));
    });
  drafts
    .command('list')
    .description('the drafts, in the order proposed, with their review')
    .option('--status <status>', DRAFT_STATUSES.join(', '))
    .option('--format <format>', 'text or json', 'text')
    .action(async (o: { status?: string; format: string }, command: Command) => {
      outputFormat(o.format, ['text', 'json']);
      if (o.status !== undefined && !(DRAFT_STATUSES as readonly string[]).includes(o.status)) throw new CliError(`--status must be one of ${DRAFT_STATUSES.join(', ')}, got ${o.status}`, 2);
      const status = o.status as DraftStatus | undefined;
      const evidence = o.format === 'json';
      const client = await serverOf(command);
      const drafts = client
        ? await remoteDrafts(client, status, evidence)
        : (await deps.withContext((app) => service(app).list({ status, limit: Number.MAX_SAFE_INTEGER, evidence }))).drafts;
      if (o.format === 'json') json(drafts);
      else deps.stdout.write(drafts.length === 0 ? 'no drafts\n' : `${drafts.map(renderDraftLine).join('\n')}\n`);
    });
  drafts
    .command('show')
    .argument('<id>', 'the draft id')
    .option('--format <format>', 'text or json', 'text')
    .description('one draft: pattern, keywords, evidence and its lesson file')
    .action(async (id: string, o: { format: string }, command: Command) => {
      outputFormat(o.format, ['text', 'json']);
      const client = await serverOf(command);
      const view = client ? await remoteDraft(client, draftId(id)) : await deps.withContext((app) => service(app).show(draftId(id)));
      if (!view) throw new CliError(new DraftNotFoundError(id).message);
      if (o.format === 'json') json(view);
      else deps.stdout.write(`${renderDraft(view)}\n`);
    });
  drafts
    .command('accept')
    .argument('<id>', 'the draft id')
    .option('--actor <name>', 'who accepts it (through a server: the token\'s name)', 'cli')
    .description('create the draft\'s lesson with status draft (the bandit tests it); again answers the same lesson')
    .action(async (id: string, o: { actor: string }, command: Command) => {
      checkArguments([['--actor', o.actor, 'identifier']]);
      const client = await serverOf(command);
      const result = client ? await remoteAccept(client, draftId(id)) : await deps.withContext((app) => known(() => service(app).accept(draftId(id), o.actor, 'cli')));
      deps.stdout.write(`draft ${result.draftId} accepted: lesson ${result.lessonId}${result.created ? ' created (status draft)' : ' (already created)'}\n`);
    });
  drafts
    .command('reject')
    .argument('<id>', 'the draft id')
    .requiredOption('--reason <text>', 'why')
    .option('--actor <name>', 'who rejects it (through a server: the token\'s name)', 'cli')
    .description('reject the draft, recording who and why')
    .action(async (id: string, o: { reason: string; actor: string }, command: Command) => {
      checkArguments([['--actor', o.actor, 'identifier'], ['--reason', o.reason, 'text']]);
      if (o.reason.trim() === '') throw new CliError('--reason must not be empty; nothing was written', 2);
      const client = await serverOf(command);
      if (client) await remoteReject(client, draftId(id), o.reason);
      else await deps.withContext((app) => known(() => service(app).reject(draftId(id), o.reason, o.actor, 'cli')));
      deps.stdout.write(`draft ${id} rejected\n`);
    });
  drafts
    .command('export')
    .requiredOption('--to <dir>', 'the lessons folder to write the lesson files into')
    .option('--status <status>', 'which drafts: proposed, accepted, or open (both)', 'open')
    .description('write each draft\'s lesson file (frontmatter match.keywords and status: draft) under <dir>, ready to commit')
    .action(async (o: { to: string; status: string }, command: Command) => {
      if (!['proposed', 'accepted', 'open'].includes(o.status)) throw new CliError(`--status must be proposed, accepted or open, got ${o.status}`, 2);
      const client = await serverOf(command);
      // With evidence: each view then carries its lesson file.
      const views: DraftView[] = client
        ? await remoteDrafts(client, undefined, true)
        : (await deps.withContext((app) => service(app).list({ limit: Number.MAX_SAFE_INTEGER, evidence: true }))).drafts;
      const chosen = views.filter((v) => (o.status === 'open' ? v.status !== 'rejected' : v.status === o.status));
      const root = path.resolve(o.to);
      for (const v of chosen) {
        const file = path.resolve(root, v.path);
        if (!file.startsWith(root + path.sep)) throw new CliError(`draft ${v.draftId}: its path ${v.path} leads outside ${o.to}; nothing more was written`);
        if (v.file === undefined) throw new CliError(`draft ${v.draftId}: the answer holds no lesson file; nothing more was written`);
      }
      for (const v of chosen) {
        const file = path.resolve(root, v.path);
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, v.file!);
        deps.stdout.write(`wrote ${path.relative(process.cwd(), file) || file}  (${v.status} draft ${v.draftId})\n`);
      }
      deps.stdout.write(`${chosen.length} lesson file(s) written under ${o.to}\n`);
    });
}
