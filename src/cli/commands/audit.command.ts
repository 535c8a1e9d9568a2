import type { INestApplicationContext } from '@nestjs/common';
import type { Command } from 'commander';
import { SQL_CLIENT, type SqlClient } from '../../database/sql-client.js';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port.js';
import { auditLessonFromStore, UnknownLessonError, UnknownPolicyRuleSetError } from '../../lifecycle/audit/lesson-audit.service.js';
import { renderAudit } from '../../lifecycle/audit/render-audit.js';
import { withAppContext } from '../support/app-context.js';
import { checkArguments } from '../support/argument-limits.js';
import { CliError } from '../support/known-errors.js';
import { ServerClient } from '../transport/server-client.js';
import { serverTarget } from '../transport/server-target.js';

export interface AuditCommandDeps {
  stdout: { write(text: string): unknown };
  withContext: <T>(fn: (app: INestApplicationContext) => Promise<T>) => Promise<T>;
}

const defaultDeps: AuditCommandDeps = { stdout: process.stdout, withContext: (fn) => withAppContext(fn) };

/** `lessonloop audit lesson <id> [--rule-set <id>] [--format text|json]`: why the lesson's status changed. */
export function register(program: Command, deps: AuditCommandDeps = defaultDeps): void {
  program
    .command('audit')
    .description('audits of decisions')
    .command('lesson')
    .description("each status change of a lesson: decision, rule and parameters, posterior trajectory, sessions, rewards, eval outcomes, edits before it")
    .argument('<id>', 'the lesson id')
    .option('--rule-set <id>', 'also: whether and when this rule set would have archived the lesson (counterfactual, writes nothing)')
    .option('--format <format>', 'text or json', 'text')
    .action(async (id: string, options: { ruleSet?: string; format: string }, command: Command) => {
      checkArguments([['<id>', id, 'identifier'], ['--rule-set', options.ruleSet, 'identifier']]);
      if (!['text', 'json'].includes(options.format)) throw new CliError(`--format must be text or json, got ${options.format}`, 2);
      const server = await serverTarget(command);
      const audit = server
        ? await new ServerClient(server).get<Parameters<typeof renderAudit>[0]>(`/lessons/${encodeURIComponent(id)}/audit`, { ruleSet: options.ruleSet })
        : await deps.withContext(async (app) => {
        try {
          return await auditLessonFromStore(app.get<EventStore>(EVENT_STORE), id, options.ruleSet, app.get<SqlClient>(SQL_CLIENT));
        } catch (error) {
          if (error instanceof UnknownLessonError || error instanceof UnknownPolicyRuleSetError) throw new CliError(error.message);
          throw error;
        }
      });
      deps.stdout.write(options.format === 'json' ? `${JSON.stringify(audit, null, 2)}\n` : renderAudit(audit));
    });
}
