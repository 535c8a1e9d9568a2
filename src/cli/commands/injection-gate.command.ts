import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { SQL_CLIENT, type SqlClient } from '../../database/sql-client.js';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port.js';
import { InjectionGateNotBuiltError, InjectionGateReader, UnknownGateRuleSetError } from '../../injection-gate/injection-gate-reader.js';
import { CliError } from '../support/known-errors.js';
import { ServerClient } from '../transport/server-client.js';
import { serverTarget } from '../transport/server-target.js';
import { defaultReadModelDeps, outputFormat, type ReadModelCommandDeps } from '../support/read-model-options.js';

/** `lessonloop injection-gate export --format gptme [--out file] [--rule-set id] [--model-key raw|name]` */
export function register(program: Command, deps: ReadModelCommandDeps = defaultReadModelDeps): void {
  const gate = program.commands.find((c) => c.name() === 'injection-gate') ?? program.command('injection-gate').description('lessons on vs off per (model, eval)');
  gate
    .command('export')
    .description("write the file gptme's eval runner reads via GPTME_EVAL_PASS_RATE_GATE_FILE (from the injection-gate read model as projected)")
    .option('--format <format>', 'gptme', 'gptme')
    .option('--out <file>', 'write here instead of stdout')
    .option('--rule-set <id>', "the rule set whose injection-gate thresholds decide")
    .option('--model-key <key>', 'raw (the Model cell as written) or name (without @format)', 'raw')
    .action(async (o: { format: string; out?: string; ruleSet?: string; modelKey: string }, command: Command) => {
      outputFormat(o.format, ['gptme']);
      if (o.modelKey !== 'raw' && o.modelKey !== 'name') throw new CliError(`--model-key must be raw or name, got ${o.modelKey}`, 2);
      const server = await serverTarget(command);
      type GateFile = Awaited<ReturnType<InjectionGateReader['gptmeFile']>>;
      const file = server
        ? await new ServerClient(server).get<GateFile>('/injection-gate', { format: 'gptme', ruleSet: o.ruleSet, modelKey: o.modelKey })
        : await deps.withContext(async (app) => {
        try {
          return await new InjectionGateReader(app.get<SqlClient>(SQL_CLIENT), app.get<EventStore>(EVENT_STORE)).gptmeFile(o.ruleSet, o.modelKey as 'raw' | 'name');
        } catch (error) {
          if (error instanceof InjectionGateNotBuiltError || error instanceof UnknownGateRuleSetError) throw new CliError(error.message, 1);
          throw error;
        }
      });
      const text = `${JSON.stringify(file, null, 2)}\n`;
      if (o.out) {
        await writeFile(o.out, text);
        deps.stdout.write(`wrote ${o.out}: ${file.summary.models.length} model(s), ${file.summary.evals.length} eval(s)\n`);
      } else deps.stdout.write(text);
    });
}
