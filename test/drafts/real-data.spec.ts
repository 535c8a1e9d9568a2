/**
 * The real gptme runs that carry cases.csv (../shared/fixtures/gptme, read-only): imported, each outcome with a
 * cases.csv has its checkers as `cases`; detection over them runs without error. The fixtures hold no
 * conversation logs, so each real failure's log is recorded as missing and nothing is proposed (the closing
 * note of issue 18 gives the figures).
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestOutcomeRecordedData } from '../../contracts/eval.js';
import { DEFAULT_DRAFT_RULES } from '../../projections/drafts/draft-rules.js';
import { detectDrafts } from '../../src/drafts/detection/detect-drafts.js';
import { TemplateDrafter } from '../../src/drafts/drafter/template-drafter.js';
import { withCatalogue } from '../../src/event-store/catalogue-event-store.js';
import { importResults } from '../../src/ingest/import-results.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';

const FIXTURES = path.resolve(process.cwd(), '../shared/fixtures/gptme');
const RUNS_WITH_CASES = ['20240927_165642Z', '20260323_200315Z', '20260323_223959Z', '20260822_025022Z'];
const present = existsSync(path.join(FIXTURES, 'eval_results', RUNS_WITH_CASES[0]!));
const describeReal = present ? describe : describe.skip;
const name = present ? 'lesson drafts on the real gptme runs with cases.csv' : 'NOT RUN: the real-data draft spec needs ../shared/fixtures/gptme, which is absent';

describeReal(name, () => {
  let db: TestDatabase;
  let tmp: string;

  beforeAll(async () => {
    db = await openTestDatabase();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'll-drafts-real-'));
    for (const run of RUNS_WITH_CASES) await cp(path.join(FIXTURES, 'eval_results', run), path.join(tmp, run), { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('imports the 4 runs with their cases, and detection runs without error', async () => {
    const store = withCatalogue(db.store);
    const summary = await importResults(store, tmp);
    expect(summary).toMatchObject({ runsFound: 4, newRuns: 4, rejected: [] });
    const outcomes = (await store.readAll({ maxCount: 100_000 })).filter((e) => e.type === 'TestOutcomeRecorded').map((e) => e.data as TestOutcomeRecordedData);
    const withCases = outcomes.filter((o) => (o.cases?.length ?? 0) > 0);
    expect(new Set(withCases.map((o) => o.runId))).toEqual(new Set(RUNS_WITH_CASES));
    expect(withCases.length).toBe(60); // 89 rows have a cases.csv; 29 of those hold only the header
    const result = await detectDrafts(store, { logRoot: FIXTURES, rules: DEFAULT_DRAFT_RULES, ruleSet: { id: 'default', version: 0 }, drafter: new TemplateDrafter() });
    const failing = outcomes.filter((o) => !o.passed && !o.suspectedInfraError && o.logDir).length;
    expect(result).toMatchObject({ outcomes: outcomes.length, logRootProblem: null, read: failing > 0 ? { missing: failing } : {}, drafts: [] });
    expect(result.readErrors.every((e) => /: missing: /.test(e))).toBe(true);
    // 89 outcomes, 17 real failures naming a Log Dir, none of whose logs the fixtures hold; and at most 2 of the
    // 4 runs fall in one 14-day window (draftMinRuns is 3), so no pattern could recur even with the logs.
    expect({ outcomes: outcomes.length, failing: result.failing, patterns: result.patterns }).toEqual({ outcomes: 89, failing: 17, patterns: 0 });
  }, 60_000);
});
