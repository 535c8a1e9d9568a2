/**
 * A fixed reward sequence per lesson, for the lifecycle compare specs: one lesson per session, rewards given in
 * order, lessons one after the other. With the default prior Beta(1, 1) and no discount (gamma 1), after s
 * successes in n rewards the posterior is Beta(1 + s, 1 + n - s), mean (1 + s) / (2 + n); with all n rewards 1
 * the 90% central interval's lower bound is the 5% quantile of Beta(1 + n, 1), i.e. 0.05^(1 / (1 + n)).
 *
 * - `slow` (active), rewards 1 0 0 0 0: means 2/3, 2/4, 2/5, 2/6 = 0.333, 2/7 = 0.286.
 *   A archives below 0.3 -> on reward 5; B archives below 0.4 -> on reward 4.
 * - `middling` (active), rewards 1 0 1 0 1 0: means 2/3, 2/4, 3/5, 3/6, 4/7, 4/8 = 0.5; never below 0.4.
 *   B flags a mean in [0.4, 0.6] after 6 rewards -> on reward 6; A never flags (flagMinRewards 1000).
 * - `proven` (draft, `## Detection` names `strong-signal`, not yet a keyword), rewards 1 1 1 1 1:
 *   lower bound after 4 = 0.05^(1/5) = 0.549, after 5 = 0.05^(1/6) = 0.607 (after 3: 0.05^(1/4) = 0.473).
 *   A promotes (and proposes the keyword) above 0.5 -> on reward 4; B above 0.6 -> on reward 5.
 */
import { newEvent } from '../../contracts/catalogue.js';
import type { NewEvent } from '../../contracts/envelope.js';

export const RULES_A = {
  archiveMinRewards: 4, archiveBelowMean: 0.3, promoteMinRewards: 4, promoteAboveLower: 0.5, flagMinRewards: 1000,
};
export const RULES_B = {
  archiveMinRewards: 4, archiveBelowMean: 0.4, promoteMinRewards: 4, promoteAboveLower: 0.6,
  flagMinRewards: 6, flagMeanLow: 0.4, flagMeanHigh: 0.6, flagMaxIntervalWidth: 1,
};

export const REWARDS: Record<string, number[]> = {
  slow: [1, 0, 0, 0, 0],
  middling: [1, 0, 1, 0, 1, 0],
  proven: [1, 1, 1, 1, 1],
};

export interface HandWorld {
  appends: { streamId: string; events: NewEvent[] }[];
  /** lessonId -> the event id of its k-th reward (1-based: `rewardIds.slow[4]` is slow's 4th reward). */
  rewardIds: Record<string, string[]>;
}

const at = (second: number) => new Date(Date.UTC(2026, 3, 1, 0, 0, second)).toISOString();

export function handWorld(): HandWorld {
  let clock = 0;
  const appends: HandWorld['appends'] = [];
  const rewardIds: Record<string, string[]> = {};
  for (const [lessonId, rewards] of Object.entries(REWARDS)) {
    const draft = lessonId === 'proven';
    const body = draft ? `# ${lessonId}\n\n## Detection\n- \`strong-signal\` in the output\n` : `# ${lessonId}\n`;
    appends.push({
      streamId: `lesson-${lessonId}`,
      events: [newEvent('LessonCreated', {
        lessonId, title: lessonId, category: 'workflow', body, status: draft ? 'draft' : 'active',
        match: { keywords: ['hand'], patterns: [], tools: [], sessionCategories: [] },
      }, { occurredAt: at(clock++), source: 'test' })],
    });
    rewardIds[lessonId] = [''];
    rewards.forEach((reward, i) => {
      const sessionId = `hand-${lessonId}-${i + 1}`;
      const sampled = newEvent('LessonArmsSampled', {
        sessionId, context: {}, candidates: [{ lessonId, armKey: lessonId, alpha: 1, beta: 1, theta: 0.5 }], selected: [lessonId],
        policy: { ruleSetId: 'lifecycle-default', version: 1 }, seed: sessionId,
      }, { occurredAt: at(clock++), source: 'test' });
      const observed = newEvent('SessionRewardObserved', { sessionId, reward }, { occurredAt: at(clock++), source: 'test' });
      rewardIds[lessonId]!.push(observed.eventId);
      appends.push({ streamId: `session-${sessionId}`, events: [sampled, observed] });
    });
  }
  return { appends, rewardIds };
}
