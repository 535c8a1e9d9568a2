/**
 * The bench's world, seeded: `lessons` lessons over 15 topics and 5 categories, each with a true success rate;
 * a session names two topics (so about a fifth of the lessons match), a model and a category, and is rewarded
 * 1 with the mean true rate of the lessons it was given.
 */
import { seededBetaSampler } from '../../src/bandit/beta-sampler.js';

const TOPICS = 15;
const CATEGORIES = ['workflow', 'tools', 'patterns', 'social', 'strategic'];
const MODELS = ['model-a', 'model-b', 'model-c', 'model-d'];

export interface BenchLesson {
  lessonId: string;
  title: string;
  category: string;
  body: string;
  match: { keywords: string[] };
}

export const lessonId = (i: number) => `bench-lesson-${String(i).padStart(3, '0')}`;

export function benchLessons(count: number): BenchLesson[] {
  return Array.from({ length: count }, (_, i) => ({
    lessonId: lessonId(i),
    title: `Bench lesson ${i}`,
    category: CATEGORIES[i % CATEGORIES.length]!,
    body: `# Bench lesson ${i}\n\n## Rule\nDo the right thing about topic${i % TOPICS}.\n`,
    match: { keywords: [`topic${i % TOPICS}`] },
  }));
}

/** Each lesson's true success rate, in [0.2, 0.9). */
export function trueRate(lessonIdText: string): number {
  const i = Number(lessonIdText.slice(lessonIdText.lastIndexOf('-') + 1));
  return 0.2 + ((i * 37) % 70) / 100;
}

export interface SessionPlan {
  text: string;
  model: string;
  category: string;
  seed: string;
}

/** Session `n` of the run (the same for every run). */
export function sessionPlan(n: number): SessionPlan {
  const a = (n * 7) % TOPICS;
  const b = (n * 11 + 3) % TOPICS;
  return {
    text: `the agent hit topic${a} and then topic${b} while working`,
    model: MODELS[n % MODELS.length]!,
    category: CATEGORIES[(n >> 2) % CATEGORIES.length]!,
    seed: `bench-${n}`,
  };
}

/** 1 with the selected lessons' mean true rate (0 rewards when nothing was selected), drawn from a seeded uniform. */
export function rewardFor(selected: readonly string[], uniform: () => number): number {
  if (selected.length === 0) return 0;
  const rate = selected.reduce((sum, id) => sum + trueRate(id), 0) / selected.length;
  return uniform() < rate ? 1 : 0;
}

export function seededUniform(seed: string): () => number {
  const draw = seededBetaSampler(seed);
  return () => draw(1, 1);
}
