import { QueryBus } from '@nestjs/cqrs';
import { CommanderError, type Command } from 'commander';
import { ZodError } from 'zod';
import type { CiGateVerdict } from '../../../projections/eval/ci-gate.js';
import { ciGateParamsSchema, CiGateInputError, UnknownEvalRunError } from '../../eval-read-models/queries/ci-gate-params.js';
import { GetCiGateQuery } from '../../eval-read-models/queries/get-ci-gate.query.js';
import { InvalidRuleSetIdError } from '../../projection-engine/instances/instance-id.js';
import { UnknownRuleSetError } from '../../projection-engine/instances/rule-sets.js';
import { ciGateMarkdown, ciGateTable } from '../../eval-read-models/render-ci-gate.js';
import { checkArguments } from '../support/argument-limits.js';
import { CliError } from '../support/known-errors.js';
import { withReadSource, type RawParams } from '../support/read-source.js';
import { defaultReadModelDeps, outputFormat, parsedOrUsageError, type ReadModelCommandDeps } from '../support/read-model-options.js';
import { ServerAnswerError } from '../transport/server-client.js';

/**
 * `lessonloop ci-gate --run <runId> [--baseline <runId> | --last N] [--fdr q] [--method bh|by|none] [--min-drop d]
 * [--flaky test|exclude] [--rule-set <id>] [--format table|markdown|json]`: exit 0 when no regression of the run survives
 * false-discovery control, 1 when one does, 2 on a usage or data error (unknown run, nothing to compare).
 */
export function register(program: Command, deps: ReadModelCommandDeps = defaultReadModelDeps): void {
  program
    .command('ci-gate')
    .description('exit 1 when a run regresses beyond chance (false-discovery control over its series and model pools), 0 when not, 2 on a usage or data error')
    .option('--run <runId>', 'the run to judge (required)')
    .option('--baseline <runId>', 'compare with this one run')
    .option('--last <n>', 'compare with the last N runs before it (default and maximum: the trends window - 1)')
    .option('--fdr <q>', 'false-discovery level q (default 0.05)')
    .option('--method <method>', 'bh, by or none (none: p <= q; default bh)')
    .option('--min-drop <d>', 'smallest pass-rate drop (0..1) that fails the gate (default 0)')
    .option('--flaky <policy>', 'test (flaky series tested and labelled; default) or exclude (listed apart)')
    .option('--rule-set <id>', 'defaults from this rule set (ci-gate rules; baselines and flaky thresholds from its trends instance)')
    .option('--format <format>', 'table, markdown or json', 'table')
    .option('--no-catch-up', 'answer from the read models as they are, without projecting new events first')
    // Usage errors (unknown option, missing value) exit 2 like every other usage error of this command.
    .exitOverride((error) => {
      throw error.exitCode === 0 ? error : new CommanderError(2, error.code, error.message);
    })
    .action(async (o: Record<string, string | boolean | undefined>, command: Command) => {
      const format = outputFormat(String(o.format), ['table', 'markdown', 'json']);
      if (typeof o.run !== 'string') throw new CliError('--run <runId> is required', 2);
      checkArguments([['--run', o.run, 'identifier'], ['--baseline', o.baseline as string | undefined, 'identifier'], ['--rule-set', o.ruleSet as string | undefined, 'identifier']]);
      // The route's query: the options as given, so a server validates them as this process does.
      const raw: RawParams = Object.fromEntries(
        Object.entries({ baseline: o.baseline, last: o.last, fdr: o.fdr, method: o.method, minDrop: o.minDrop, flaky: o.flaky, ruleSet: o.ruleSet }).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string',
        ),
      );
      const params = parsedOrUsageError(() => ciGateParamsSchema.parse(raw));
      const run = o.run;
      const catchUp = { enabled: o.catchUp !== false, ...(params.ruleSet !== undefined ? { trendsRuleSet: params.ruleSet } : {}) };
      const verdict = await withReadSource(command, deps, catchUp, (source) =>
        source
          .run<CiGateVerdict>(`/eval-runs/${encodeURIComponent(run)}/ci-gate`, raw, async (app) => (await app.get(QueryBus).execute(new GetCiGateQuery(run, params))) as CiGateVerdict)
          .catch((error: unknown) => {
            // An unknown run or rule set is a data error (exit 2), whichever side found it.
            if (error instanceof ServerAnswerError && error.status === 404) throw new CliError(error.message, 2);
            const known = [UnknownEvalRunError, CiGateInputError, UnknownRuleSetError, InvalidRuleSetIdError, ZodError];
            if (known.some((k) => error instanceof k)) throw new CliError((error as Error).message, 2);
            throw error;
          }),
      );
      deps.stdout.write(format === 'json' ? `${JSON.stringify(verdict, null, 2)}\n` : format === 'markdown' ? ciGateMarkdown(verdict) : ciGateTable(verdict));
      if (verdict.verdict === 'no-data') throw new CliError(`ci-gate: nothing to compare: no series of run ${run} has a baseline run`, 2);
      if (verdict.verdict === 'fail') {
        throw new CliError(`ci-gate: run ${run} fails: ${verdict.failures.length} regression(s) survive false-discovery control`, 1);
      }
    });
}
