/**
 * A small failure world in a store and on disk for the store-backed draft specs: 4 runs on 4 days, 3 models,
 * 8 tests. The `json-parse` family fails everywhere with one ValueError, the `rust-build` family with one
 * compiler error; the other tests pass, each with a log. Four more failures carry bad logs: one outside the log
 * root, one that is not UTF-8 (unreadable), one malformed on line 2, one a symlink leading out of the root.
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EventStore } from '../../../src/event-store/event-store.port.js';
import { buildEvalRunEvents } from '../../../src/ingest/eval-run-events.js';
import type { DraftRules } from '../../../projections/drafts/draft-rules.js';
import { DEFAULT_DRAFT_RULES } from '../../../projections/drafts/draft-rules.js';

export const MODELS = ['m-alpha', 'm-beta', 'm-gamma'];
export const TESTS = ['json-parse-1', 'json-parse-2', 'rust-build-1', 'rust-build-2', 'hello', 'count-words', 'prime100', 'init-git'];
export const RUNS = ['20260301_000000Z', '20260302_000000Z', '20260303_000000Z', '20260304_000000Z'];
export const BAD = { outside: '../../../etc', unreadable: 'bad-utf8', malformed: 'bad-json', symlinked: 'escape' };

/** Small-world thresholds: a 14-day window holds the 4 runs. */
export const STORE_WORLD_RULES: DraftRules = { ...DEFAULT_DRAFT_RULES, draftMinRuns: 3, draftMinModels: 2, draftMinFailures: 6, draftPassingSample: 20 };

const line = (o: object) => JSON.stringify(o);
const message = (role: string, content: string) => line({ role, content, timestamp: '2026-03-01T00:00:00' });

export function conversation(test: string, run: number, model: number): string {
  const error = test.startsWith('json-parse')
    ? `Traceback (most recent call last):\n  File "/tmp/w${run}${model}/parse.py", line ${10 + run}, in <module>\nValueError: unexpected token in JSON payload at offset ${100 + model}`
    : test.startsWith('rust-build')
      ? `error[E0308]: mismatched types in struct field ${run}${model}\nerror: could not compile \`demo\``
      : 'all good: wrote the file and the checks passed';
  return [message('user', `solve ${test}`), message('assistant', 'running it'), message('system', error), message('assistant', 'done')].join('\n');
}

export const failing = (test: string) => test.startsWith('json-parse') || test.startsWith('rust-build');

export interface StoreWorldRun {
  runId: string;
  startedAt: string;
  outcomes: { test: string; model: string; rawModel: string; toolFormat: null; passed: boolean; logDir: string }[];
}

/** The world's runs; with `bad`, the first also holds the four failures whose logs cannot be used. */
export function storeWorldRuns(bad = true): StoreWorldRun[] {
  return RUNS.map((runId, r) => {
    const outcomes: StoreWorldRun['outcomes'] = [];
    for (const model of MODELS) {
      for (const test of TESTS) {
        outcomes.push({ test, model, rawModel: model, toolFormat: null, passed: !failing(test), logDir: `/home/runner/.local/share/gptme/logs/${runId}-${model}-${test}` });
      }
    }
    if (r === 0 && bad) {
      for (const [i, dir] of Object.values(BAD).entries()) outcomes.push({ test: `broken-${i}`, model: 'm-alpha', rawModel: 'm-alpha', toolFormat: null, passed: false, logDir: dir });
    }
    return { runId, startedAt: `${runId.slice(0, 4)}-${runId.slice(4, 6)}-${runId.slice(6, 8)}T00:00:00Z`, outcomes };
  });
}

/** Each outcome's conversation.jsonl under `logRoot` (found by its log dir's last component). */
export async function writeStoreWorldLogs(logRoot: string): Promise<void> {
  for (const [r, runId] of RUNS.entries()) {
    for (const [m, model] of MODELS.entries()) {
      for (const test of TESTS) {
        await mkdir(path.join(logRoot, `${runId}-${model}-${test}`), { recursive: true });
        await writeFile(path.join(logRoot, `${runId}-${model}-${test}`, 'conversation.jsonl'), conversation(test, r, m));
      }
    }
  }
}

export async function plantStoreWorld(store: EventStore, logRoot: string): Promise<void> {
  await writeStoreWorldLogs(logRoot);
  const appends = storeWorldRuns().map((run) => buildEvalRunEvents({ ...run, source: 'test' }));
  await mkdir(path.join(logRoot, BAD.unreadable));
  await writeFile(path.join(logRoot, BAD.unreadable, 'conversation.jsonl'), Buffer.from([0x7b, 0xff, 0xfe, 0x0a]));
  await mkdir(path.join(logRoot, BAD.malformed));
  await writeFile(path.join(logRoot, BAD.malformed, 'conversation.jsonl'), `${message('user', 'x')}\n{"role": "system", "content": "ValueError: half\n`);
  const outside = `${logRoot}-outside`;
  await mkdir(outside, { recursive: true });
  await writeFile(path.join(outside, 'conversation.jsonl'), conversation('json-parse-1', 0, 0));
  await symlink(outside, path.join(logRoot, BAD.symlinked));
  await store.appendMany(appends);
}
