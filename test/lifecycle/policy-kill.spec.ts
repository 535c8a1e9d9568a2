/**
 * Idempotency of the lifecycle policy under SIGKILL: a child process runs the policy over a recorded
 * history (18 lessons, 252 rewarded sessions, archives, keyword changes and mutation flags along the way) and is killed again and again:
 * after committed batches whose decisions are still in the outbox (dispatch delayed in that child), the
 * instant a dispatch appended decisions, and at random moments. After the last restart the log must hold each decision exactly once: precisely the
 * decisions the pure fold of the same history takes, with the same ids and evidence.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import os from 'node:os';
import path from 'node:path';
import { newEvent } from '../../contracts/catalogue.js';
import type { RecordedEvent } from '../../contracts/envelope.js';
import { sessionStreamId } from '../../src/bandit/bandit.service.js';
import { seededBetaSampler } from '../../src/bandit/beta-sampler.js';
import { openPgliteSqlClient } from '../../src/database/pglite-sql-client.js';
import { openPgSqlClient } from '../../src/database/pg-sql-client.js';
import type { SqlClient } from '../../src/database/sql-client.js';
import { createScratchDatabase } from '../projection-engine/support/scratch-postgres.js';
import { migrate } from '../../src/database/migrate.js';
import { SqlEventStore } from '../../src/event-store/sql/sql-event-store.js';
import type { EventStore } from '../../src/event-store/event-store.port.js';
import { lifecyclePolicyProjection } from '../../projections/lifecycle/lifecycle-policy.js';
import { loadPolicyState } from '../../src/lifecycle/policy/policy-dispatcher.js';
import { listInstances } from '../../src/projection-engine/instances/instances.js';
import { applyPolicyEvent, emptyPolicyState, type PolicyDecision } from '../../src/lifecycle/policy/policy-state.js';
import { readWholeLog } from '../../src/event-store/read-whole-log.js';
import { policyRules } from '../../src/lifecycle/policy/policy-rule-sets.js';
import { compiledPath, ensureCompiled } from '../support/compiled.js';
import type { PolicyChildConfig } from './children/policy.child.js';
import { createSimLessons, visibleThrough } from './support/simulation.js';

const RULE_SET = 'crash';
const LESSONS = Array.from({ length: 18 }, (_, i) => `lesson-${String(i).padStart(2, '0')}`);
const RATES = [0.7, 0.5, 0.3];
const SESSIONS = 252;
const KILLS = 12;
const databaseUrl = process.env.DATABASE_URL?.trim();
const processor = { batchSize: 15, readBatchSize: 30, leaseTtlMs: 1500, pollIntervalMs: 50, failedPollMs: 200, instanceCheckMs: 500 };

interface Child {
  messages: { type: string; [k: string]: unknown }[];
  waitFor(type: string, timeoutMs?: number): Promise<void>;
  kill(): Promise<void>;
  exited: Promise<number | null>;
  stderr(): string;
}

function spawnPolicy(config: PolicyChildConfig): Child {
  const child = spawn(process.execPath, [compiledPath('test/lifecycle/children/policy.child.ts')], {
    env: { ...process.env, POLICY_CHILD_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const messages: Child['messages'] = [];
  const listeners: ((m: Child['messages'][number]) => void)[] = [];
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      const m = JSON.parse(line) as Child['messages'][number];
      messages.push(m);
      for (const l of [...listeners]) l(m);
    } catch {
      // not ours
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    messages,
    exited,
    stderr: () => stderr,
    waitFor(type, timeoutMs = 60_000) {
      if (messages.some((m) => m.type === type)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${type} within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
        listeners.push((m) => {
          if (m.type === type) (clearTimeout(timer), resolve());
        });
        void exited.then(() => (clearTimeout(timer), reject(new Error(`exited before ${type}: ${stderr}`))));
      });
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

async function writeHistory(store: EventStore): Promise<void> {
  await store.appendToStream(`rule-set-${RULE_SET}`, [
    newEvent(
      'RuleSetDefined',
      { ruleSetId: RULE_SET, name: 'kill test', parameters: { topK: 1, archiveMinRewards: 8, archiveBelowMean: 0.4, promoteMinRewards: 10, promoteAboveLower: 0.5, flagMinRewards: 10, flagMaxIntervalWidth: 0.45 } },
      { occurredAt: '2026-01-01T00:00:00Z', source: 'test' },
    ),
  ]);
  await createSimLessons(store, LESSONS);
  const uniform = seededBetaSampler('kill-rewards');
  const appends = [];
  for (let i = 0; i < SESSIONS; i++) {
    const lessonId = LESSONS[i % LESSONS.length]!;
    const sessionId = `k-${i}`;
    const occurredAt = new Date(Date.UTC(2026, 0, 2, 0, 0, i)).toISOString();
    const reward = uniform(1, 1) < RATES[(i % LESSONS.length) % 3]! ? 1 : 0;
    appends.push({
      streamId: sessionStreamId(sessionId),
      events: [
        newEvent(
          'LessonArmsSampled',
          {
            sessionId,
            context: { model: 'm' },
            candidates: [{ lessonId, armKey: lessonId, alpha: 1, beta: 1, theta: 0.5 }],
            selected: [lessonId],
            policy: { ruleSetId: RULE_SET, version: 1 },
            seed: sessionId,
          },
          { occurredAt, source: 'test' },
        ),
        newEvent('SessionRewardObserved', { sessionId, reward }, { occurredAt, source: 'test' }),
      ],
    });
  }
  let results: Awaited<ReturnType<EventStore['appendMany']>> = [];
  for (let i = 0; i < appends.length; i += 40) results = await store.appendMany(appends.slice(i, i + 40));
  await visibleThrough(store, results[results.length - 1]!.position);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Opened {
  sql: SqlClient;
  store: EventStore;
  close(): Promise<void>;
}

async function killAndRestart(open: () => Promise<Opened>, database: PolicyChildConfig['database'], label: string): Promise<void> {
  const config: PolicyChildConfig = { database, ruleSetId: RULE_SET, processor };
  const moments: { mode: number; caughtUp: boolean; settled: boolean; batches: number; strandedInOutbox: number; decisionsInLog: number }[] = [];
  try {
    let db = await open();
    await writeHistory(db.store);
    const input = await readWholeLog(db.store);
    const rules = (await policyRules(db.store, RULE_SET))!;
    await db.close();
    const expected: PolicyDecision[] = [];
    const folded = emptyPolicyState();
    for (const event of input) expected.push(...applyPolicyEvent(folded, event, rules));

    for (let k = 0; k < KILLS; k++) {
      const mode = k % 3;
      // mode 0 delays dispatch, so decisions committed in the batches before the kill are stranded in the outbox.
      const child = spawnPolicy(mode === 0 ? { ...config, dispatchDelayMs: 5000 } : config);
      if (mode === 2) {
        await child.waitFor('lease').catch(() => undefined);
        await sleep(Math.floor(Math.random() * 400));
      } else {
        // mode 0: right after the 8th committed batch, or once caught up if fewer batches were left (their
        // decisions are in the outbox, not yet dispatched);
        // mode 1: the instant a dispatch appended decisions (the processor is projecting on meanwhile), or once
        // settled (history applied, outbox dispatched: no dispatch can come any more).
        const wanted = mode === 0 ? 'batch' : 'dispatched';
        const nth = mode === 0 ? 8 : 1;
        const ends = mode === 0 ? ['error', 'caught-up', 'settled'] : ['error', 'settled'];
        await new Promise<void>((resolve) => {
          const timeout = setTimeout(resolve, 20_000);
          const check = setInterval(() => {
            const over = child.messages.some((m) => ends.includes(m.type));
            if (child.messages.filter((m) => m.type === wanted).length >= nth || over) {
              clearInterval(check);
              clearTimeout(timeout);
              resolve();
            }
          }, 1);
          void child.exited.then(() => (clearInterval(check), clearTimeout(timeout), resolve()));
        });
      }
      const settled = child.messages.some((m) => m.type === 'settled');
      const caughtUp = child.messages.some((m) => m.type === 'caught-up');
      await child.kill();
      expect(child.messages.some((m) => m.type === 'error')).toBe(false);
      // What the kill left behind: decisions committed to the outbox but not in the log, and decisions in the log.
      db = await open();
      // One instance all along: every restart resumed it (none began again from the first event).
      const instances = (await listInstances(db.sql, 'lifecycle-policy')).filter((i) => i.ruleSetId === RULE_SET);
      expect(instances.map((i) => i.instanceId)).toEqual([`lifecycle-policy.v${lifecyclePolicyProjection.version}.${RULE_SET}.g1`]);
      const state = await loadPolicyState(db.sql, instances[0]!.instanceId);
      const logged = new Set((await readWholeLog(db.store)).filter((e) => e.metadata.source === 'policy').map((e) => e.eventId));
      await db.close();
      const stranded = (state?.outbox ?? []).filter((d) => !logged.has(d.eventId)).length;
      moments.push({ mode, caughtUp, settled, batches: child.messages.filter((m) => m.type === 'batch').length, strandedInOutbox: stranded, decisionsInLog: logged.size });
      }

    const last = spawnPolicy({ ...config, untilSettled: true });
    await last.waitFor('done', 300_000);
    await last.exited;

    db = await open();
    // The log as readable once every decision is (PostgreSQL's read horizon can lag behind a commit).
    let log: RecordedEvent[] = [];
    const deadline = Date.now() + 30_000;
    do {
      log = await readWholeLog(db.store);
      if (log.filter((e) => e.metadata.source === 'policy').length >= expected.length) break;
      await sleep(50);
    } while (Date.now() < deadline);
    await db.close();
    const recorded = log.filter((e) => e.metadata.source === 'policy');
    expect(expected.length).toBeGreaterThanOrEqual(6);
    expect(expected.some((d) => d.kind === 'archive')).toBe(true);
    expect(expected.some((d) => d.kind === 'flag-mutation')).toBe(true);
    expect(recorded.map((e) => e.eventId).sort()).toEqual(expected.map((d) => d.eventId).sort());
    expect(new Set(recorded.map((e) => e.eventId)).size).toBe(recorded.length);
    // One archive and one flag per lesson at most, and each recorded decision carries exactly the fold's evidence.
    const archives = recorded.filter((e) => e.type === 'LessonStatusChanged').map((e) => (e.data as { lessonId: string }).lessonId);
    expect(new Set(archives).size).toBe(archives.length);
    const flags = recorded.filter((e) => e.type === 'LessonFlaggedForMutation').map((e) => (e.data as { lessonId: string }).lessonId);
    expect(new Set(flags).size).toBe(flags.length);
    for (const event of recorded) {
      const decision = expected.find((d) => d.eventId === event.eventId)!;
      expect((event.data as { evidence: unknown }).evidence).toEqual(decision.command.evidence);
    }
    // The kills did hit the windows that matter: decisions committed but not yet appended (recovered by
    // the next start), and decisions appended by a process that was then killed mid-stream.
    expect(moments.some((m) => m.strandedInOutbox > 0)).toBe(true);
    expect(moments.some((m) => m.decisionsInLog > 0 && m.decisionsInLog < expected.length)).toBe(true);
    // The input history is untouched.
    expect(log.filter((e) => e.metadata.source !== 'policy').map((e) => e.eventId)).toEqual(input.map((e) => e.eventId));
  } finally {
    process.stdout.write(`${label} policy kill moments: ${JSON.stringify(moments)}\n`);
  }
}

describe('lifecycle policy killed (SIGKILL) and restarted mid-stream', () => {
  beforeAll(async () => ensureCompiled(), 300_000);

  it(`PGlite directory: ${KILLS} kills, then each decision is in the log exactly once, as the pure fold takes it`, async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lessonloop-policy-kill-'));
    const dataDir = path.join(dir, 'pgdata');
    try {
      await killAndRestart(
        async () => {
          const sql = await openPgliteSqlClient({ dataDir });
          await migrate(sql);
          const store = new SqlEventStore(sql);
          return { sql, store, close: async () => (await store.close(), await sql.close()) };
        },
        { engine: 'pglite', dataDir },
        'PGlite',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 600_000);

  (databaseUrl ? it : it.skip)(
    `PostgreSQL${databaseUrl ? '' : ' (not run: DATABASE_URL is not set)'}: ${KILLS} kills, then each decision is in the log exactly once`,
    async () => {
      const scratch = await createScratchDatabase(databaseUrl!);
      try {
        await killAndRestart(
          async () => {
            const sql = await openPgSqlClient({ connectionString: scratch.url });
            const store = new SqlEventStore(sql);
            return { sql, store, close: async () => (await store.close(), await sql.close()) };
          },
          { engine: 'postgres', url: scratch.url },
          'PostgreSQL',
        );
      } finally {
        await scratch.drop();
      }
    },
    600_000,
  );
});
