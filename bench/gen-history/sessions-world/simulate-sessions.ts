/**
 * Runs the planted world's sessions through the real selection (Thompson sampling over the posteriors the
 * rewards build, then the holdout coin), draws each outcome from the truth, and records what a team would log:
 * one LessonExposureRecorded per outcome (as recorded events, in memory). Also keeps, per lesson, the truth
 * each estimator targets (world-truth.ts).
 */
import type { ArmCandidate } from '../../../contracts/bandit.js';
import type { RecordedEvent } from '../../../contracts/envelope.js';
import { deterministicEventId } from '../../../contracts/event-id.js';
import type { LessonExposureRecordedData } from '../../../contracts/exposure.js';
import { banditRules } from '../../../projections/bandit/bandit-rules.js';
import { DEFAULT_EFFECT_RULES } from '../../../projections/effects/effect-rules.js';
import { applyPosteriorEvent, emptyPosteriorState } from '../../../projections/bandit/posterior.js';
import { seededBetaSampler } from '../../../src/bandit/beta-sampler.js';
import { applyHoldout } from '../../../src/bandit/holdout/apply-holdout.js';
import { selectArms } from '../../../src/bandit/select-arms.js';
import { seededRandom, type Random } from '../random.js';
import { clipProbability, plantLessons, type PlantedLesson, type SessionsWorldConfig } from './world-config.js';
import { sessionLogEvents, type LoggedEvent } from './session-log.js';
import { addCoinEligible, emptyTruthSums, mantelHaenszelTruth, policyContrasts, type StratumTruth } from './world-truth.js';

export interface LessonTruth extends PlantedLesson {
  /** Mean over coin-eligible outcomes of P(pass | injected) - P(pass | withheld), others as they were. */
  trueRiskDifference: number;
  /** The randomized estimator's estimand: the same per stratum, Mantel-Haenszel weighted; and its design SE. */
  randomizedTruth: { rd: number; se: number } | null;
  /** IPW's estimand (the policy contrast over matched outcomes whose logged propensity is within the clip bounds); null when `truthDraws` is 0. */
  ipwTruth: number | null;
  strata: Record<string, StratumTruth>;
  coinEligible: number;
  exposures: number;
}

export interface SessionsWorld {
  config: SessionsWorldConfig;
  events: RecordedEvent[];
  truth: LessonTruth[];
  /** With `config.sessionLog`: each session's bandit and outcome events, in session order (else empty). */
  sessionLog: LoggedEvent[];
}

export const SESSIONS_WORLD_START = Date.parse('2026-03-01T00:00:00Z');

function pickCategory(random: Random, config: SessionsWorldConfig) {
  let u = random.next() * config.categories.reduce((s, c) => s + c.share, 0);
  for (const category of config.categories) if ((u -= category.share) < 0) return category;
  return config.categories.at(-1)!;
}

function shuffledPrefix<T>(random: Random, items: readonly T[], count: number): T[] {
  const pool = [...items];
  for (let i = 0; i < Math.min(count, pool.length); i += 1) {
    const j = i + Math.floor(random.next() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, count);
}

export function simulateSessionsWorld(config: SessionsWorldConfig): SessionsWorld {
  const random = seededRandom(config.seed);
  const lessons = plantLessons(config);
  const effectOf = new Map(lessons.map((l) => [l.lessonId, l.plantedEffect]));
  const rules = banditRules({ topK: config.topK, holdoutRate: config.holdoutRate, inclusionDraws: config.inclusionDraws });
  const posterior = emptyPosteriorState();
  const truthSums = new Map(lessons.map((l) => [l.lessonId, emptyTruthSums()]));
  const truthRandom = seededRandom(config.seed * 31 + 5);
  const events: RecordedEvent[] = [];
  const sessionLog: LoggedEvent[] = [];
  for (let s = 0; s < config.sessions; s += 1) {
    const model = random.pick(config.models);
    const category = pickCategory(random, config);
    const existing = lessons.filter((l) => l.createdAtSession <= s).map((l) => l.lessonId);
    const matched = shuffledPrefix(random, existing, random.int(...category.matches));
    if (matched.length === 0) continue;
    const sessionId = `w${config.seed}-s${s}`;
    const context = { model: model.name, category: category.name };
    // The service's selection step by step: posteriors, the seeded draw, then the holdout (coin and inclusion).
    const drawn = selectArms(matched, context, posterior, rules, seededBetaSampler(`${sessionId}:thetas`));
    const held = applyHoldout(drawn, rules, { coin: `${sessionId}:coin`, inclusion: `${sessionId}:inclusion` });
    const selection = { candidates: drawn.candidates, selected: drawn.selected };
    const coins = { injected: held.selected, withheld: held.holdout.withheld };
    const pis = held.inclusion ? held.candidates.map((c) => c.inclusionProbability!) : null;

    const shift = s >= config.confoundedInTime.atSession && model.name === config.confoundedInTime.model ? config.confoundedInTime.shift : 0;
    const base = category.baseline + model.offset + shift;
    const lift = coins.injected.reduce((sum, id) => sum + effectOf.get(id)!, 0);
    const passed = random.chance(clipProbability(base + lift));
    for (const id of matched) truthSums.get(id)!.exposures += 1;
    const stratum = `${model.name}|${category.name}`;
    for (const id of selection.selected) {
      const others = lift - (coins.injected.includes(id) ? effectOf.get(id)! : 0);
      addCoinEligible(truthSums.get(id)!, stratum, clipProbability(base + others + effectOf.get(id)!), clipProbability(base + others), coins.withheld.includes(id));
    }
    if (config.truthDraws > 0 && pis) {
      const contrasts = policyContrasts(drawn.candidates, effectOf, base, { ...rules, draws: config.truthDraws }, `${sessionId}:truth`, truthRandom);
      const clip = config.propensityClip ?? DEFAULT_EFFECT_RULES.effectPropensityClip;
      drawn.candidates.forEach((c, i) => {
        // The estimator leaves out propensities outside [clip, 1 - clip] (snipw.ts): its estimand is over the rest.
        const logged = pis[i]! * (1 - config.holdoutRate);
        if (logged < clip || logged > 1 - clip) return;
        const sums = truthSums.get(c.lessonId)!;
        sums.ipwDiff += contrasts[i]!;
        sums.ipwOutcomes += 1;
      });
    }
    const exposure = exposureEvent(config, s, sessionId, { model: model.name, category: category.name, passed }, selection.candidates, coins, pis);
    events.push(exposure);
    if (config.sessionLog) {
      const { outcome } = exposure.data as LessonExposureRecordedData;
      sessionLog.push(
        ...sessionLogEvents({
          seed: config.seed,
          index: s,
          sessionId,
          occurredAt: exposure.metadata.occurredAt,
          model: model.name,
          category: category.name,
          outcome: { eventId: outcome.eventId, runId: outcome.runId, test: outcome.test, passed },
          candidates: held.candidates,
          injected: coins.injected,
          holdout: held.holdout,
          inclusion: held.inclusion,
        }),
      );
    }
    const sampled = { sessionId, context, selected: coins.injected };
    applyPosteriorEvent(posterior, { eventId: `${sessionId}:a`, type: 'LessonArmsSampled', data: sampled, globalPosition: BigInt(2 * s) }, rules);
    applyPosteriorEvent(posterior, { eventId: `${sessionId}:r`, type: 'SessionRewardObserved', data: { sessionId, reward: passed ? 1 : 0 }, globalPosition: BigInt(2 * s + 1) }, rules);
  }
  const truth = lessons.map((l) => {
    const sums = truthSums.get(l.lessonId)!;
    const strata = Object.values(sums.strata);
    const eligible = strata.reduce((n, s) => n + s.eligible, 0);
    const diff = strata.reduce((d, s) => d + s.sumInjected - s.sumWithheld, 0);
    return {
      ...l,
      trueRiskDifference: eligible > 0 ? diff / eligible : l.plantedEffect,
      randomizedTruth: mantelHaenszelTruth(sums.strata),
      ipwTruth: sums.ipwOutcomes > 0 ? sums.ipwDiff / sums.ipwOutcomes : null,
      strata: sums.strata,
      coinEligible: eligible,
      exposures: sums.exposures,
    };
  });
  return { config, events, truth, sessionLog };
}

function exposureEvent(
  config: SessionsWorldConfig,
  s: number,
  sessionId: string,
  outcome: { model: string; category: string; passed: boolean },
  candidates: readonly ArmCandidate[],
  coins: { injected: string[]; withheld: string[] },
  pis: number[] | null,
): RecordedEvent {
  const h = config.holdoutRate;
  const propensity = (id: string) => (pis ? { propensity: pis[candidates.findIndex((c) => c.lessonId === id)]! * (1 - h) } : {});
  const coin = h > 0 ? { holdoutRate: h } : {};
  const outcomeId = deterministicEventId('sessions-world-outcome', config.seed, s);
  const data: LessonExposureRecordedData = {
    outcome: { eventId: outcomeId, globalPosition: String(2 * s + 1), runId: `run-${Math.floor(s / 100)}`, test: `task-${s}`, model: outcome.model, passed: outcome.passed, suspectedInfraError: false },
    category: outcome.category,
    sessionId,
    injected: coins.injected.map((lessonId) => ({ lessonId, ...coin, ...propensity(lessonId) })),
    withheld: candidates
      .filter((c) => !coins.injected.includes(c.lessonId))
      .map((c) => (coins.withheld.includes(c.lessonId) ? { lessonId: c.lessonId, withheldBy: 'coin' as const, holdoutRate: h, ...propensity(c.lessonId) } : { lessonId: c.lessonId, withheldBy: 'cap' as const, ...propensity(c.lessonId) })),
  };
  const at = new Date(SESSIONS_WORLD_START + s * 60_000);
  return {
    eventId: deterministicEventId('sessions-world-exposure', config.seed, s),
    type: 'LessonExposureRecorded',
    schemaVersion: 1,
    data,
    metadata: { occurredAt: at.toISOString(), source: 'sessions-world' },
    streamId: `exposure-${outcomeId}`,
    streamRevision: 0n,
    position: { commit: BigInt(s + 1), prepare: BigInt(2 * s + 2) },
    globalPosition: BigInt(2 * s + 2),
    recordedAt: at,
  };
}
