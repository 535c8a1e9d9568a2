/**
 * Drafts for the dashboard's review queue, made as a user makes them: three daily runs of two models posted to
 * `POST /eval-runs`, each outcome's log written under a log root (the drafts store world's logs: json-parse-1
 * fails with one ValueError, rust-build-1 with one compiler error, two tests pass), then `lessonloop drafts
 * detect --log-root` run against the app. Two drafts of 6 failures each (the default rules' least), both
 * proposed. The runs are in May 2026, away from the window world's.
 * The logs are removed once read: reviewing a draft reads none.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { register as registerDrafts } from '../../../src/cli/commands/drafts.command.js';
import { conversation, failing, MODELS, TESTS } from '../../drafts/support/store-world.js';
import { WRITE_AUTH } from '../../ingest-http/http-test-support.js';
import { runCommandOnApp } from '../../support/cli-command.js';
import type { TestApp } from '../../support/test-app.js';

export const DRAFT_RUNS = ['20260504_000000Z', '20260505_000000Z', '20260506_000000Z'];
const DRAFT_MODELS = MODELS.slice(0, 2);
const DRAFT_TESTS = TESTS.filter((t) => ['json-parse-1', 'rust-build-1', 'hello', 'count-words'].includes(t));

export async function loadDraftsWorld(t: TestApp): Promise<void> {
  const logRoot = await mkdtemp(path.join(os.tmpdir(), 'll-dashboard-drafts-'));
  try {
    await detectOnLogs(t, logRoot);
  } finally {
    await rm(logRoot, { recursive: true, force: true });
  }
}

async function detectOnLogs(t: TestApp, logRoot: string): Promise<void> {
  for (const [r, runId] of DRAFT_RUNS.entries()) {
    const outcomes = [];
    for (const [m, model] of DRAFT_MODELS.entries()) {
      for (const test of DRAFT_TESTS) {
        const dir = `${runId}-${model}-${test}`;
        await mkdir(path.join(logRoot, dir), { recursive: true });
        await writeFile(path.join(logRoot, dir, 'conversation.jsonl'), conversation(test, r, m));
        outcomes.push({ model, test, passed: !failing(test), logDir: `/home/runner/.local/share/gptme/logs/${dir}` });
      }
    }
    const startedAt = `${runId.slice(0, 4)}-${runId.slice(4, 6)}-${runId.slice(6, 8)}T00:00:00Z`;
    await request(t.http).post('/eval-runs').set('Authorization', WRITE_AUTH).send({ runId, startedAt, suite: 'drafts', outcomes }).expect(201);
  }
  const printed = await runCommandOnApp([registerDrafts], t.app, ['drafts', 'detect', '--log-root', logRoot]);
  if (!/2 draft\(s\), 2 new/.test(printed)) throw new Error(`drafts detect did not propose the two drafts:\n${printed}`);
}
