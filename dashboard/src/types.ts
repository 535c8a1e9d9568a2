/** The parts of the API's JSON answers the dashboard shows (see /docs-json). */
export interface LeaderboardRow {
  model: string;
  format: string;
  suite: string | null;
  tests: number;
  attempts: number;
  passes: number;
  pass_rate: number | null;
  wilson_lower: number | null;
  wilson_upper: number | null;
  infra_errors: number;
  cost_per_pass: number | null;
}
export interface Page<T> {
  items: T[];
  total: number;
  offset: number;
  limit: number | null;
}
export interface StatTrend {
  model: string;
  format: string;
  test: string;
  label: string;
  runs: number;
  latest_run: string | null;
  latest_run_at: string | null;
  baseline: { pass_rate: number | null };
  recent: { pass_rate: number | null };
  p_regression: number | null;
  /** The false-discovery q-value of p_regression and the smallest drop the series could flag (absent on older servers). */
  q_regression?: number | null;
  mde_regression?: number | null;
  flip_rate: number;
}
export interface StatTrends extends Page<StatTrend> {
  counts: Record<string, number>;
}
export interface GptmeTrend {
  model: string;
  test: string;
  latest_passed: boolean;
  previous_passed: boolean;
  latest_run: string;
  previous_run: string;
  pass_rate: number;
  total_runs: number;
}
export type GptmeCategory = 'regressions' | 'improvements' | 'stable_pass' | 'stable_fail' | 'flaky';
export type GptmeTrends = Record<GptmeCategory, GptmeTrend[]>;
/** GET /trends?rules=gptme&category=...: one list as a page, with the length of all five. */
export interface GptmeCategoryPage extends Page<GptmeTrend> {
  category: GptmeCategory;
  totals: Record<GptmeCategory, number>;
}
export interface HistoryItem {
  runId: string;
  occurredAt: string;
  format: string;
  suite: string | null;
  passed: boolean | null;
  suspectedInfraError?: boolean | null;
  change: 'regression' | 'improvement' | null;
  orderKey: string;
}
export interface HistoryPage {
  model: string;
  test: string;
  total: number;
  items: HistoryItem[];
  nextCursor: string | null;
}
export interface PassRate {
  model: string;
  format: string | null;
  points: { runId: string; at: string; attempts: number; passes: number; passRate: number | null; infraErrors: number }[];
  lessonChanges: { lessonId: string; lessonTitle: string | null; lessonPath: string | null; type: string; at: string }[];
  formats: { format: string; points: PassRate['points'] }[];
}
export interface ExternalChange {
  changeId: string;
  kind: string;
  subject: string;
  description: string;
  occurredAt: string;
}
export interface Lesson {
  lessonId: string;
  title: string;
  path?: string | null;
  status: string;
  category: string;
  revision: number;
  updatedAt: string;
  description: string | null;
}
export interface TimelineEntry {
  type: string;
  actor: string | null;
  reason: string | null;
  source: string | null;
  revision: number;
  occurredAt: string;
  decidedBy: string | null;
  changes: { field: string; before: unknown; after: unknown }[];
}
export interface Posterior {
  arms: { armKey: string; alpha: number; beta: number; mean: number; lower: number; upper: number; n: number }[];
}
export interface EventRef {
  eventId: string;
  type: string;
  globalPosition: string;
  occurredAt: string;
}
export interface StatusChange {
  decision: EventRef & { from: string; to: string; reason: string; decidedBy: string; actor: string | null; source: string };
  rule: { name: string | null; ruleSetId: string; ruleSetVersion: number; definedBy: EventRef | null } | null;
  evidence: { numbers: Record<string, number>; events: (EventRef & { found: boolean })[] } | null;
  trajectory: { globalPosition: string; reward: number; mean: number; n: number }[];
  editsBefore: (EventRef & { actor: string | null })[];
}
export interface MutationFlag {
  decision: EventRef & { reason: string; explanation: string; actor: string | null };
  rule: { name: string | null; ruleSetId: string; ruleSetVersion: number; definedBy: EventRef | null };
  evidence: { numbers: Record<string, number>; events: (EventRef & { found: boolean })[] };
  trajectory: { globalPosition: string; reward: number; mean: number; n: number }[];
  editsBefore: (EventRef & { actor: string | null })[];
}
export interface Audit {
  statusChanges: StatusChange[];
  mutationFlags: MutationFlag[];
  policyMatchChanges: (EventRef & { added: string[]; rule: string | null })[];
}
export interface Confounder {
  changeId: string;
  kind: string;
  at: string;
  subject: string;
  description: string;
  hoursFromChange: number;
}
export interface Effect {
  affectedRateBefore: number | null;
  affectedRateAfter: number | null;
  controlRateBefore: number | null;
  controlRateAfter: number | null;
  effect: number | null;
  fisherP: number;
  significant: boolean;
  probabilityAfterGreater: number;
  /** Fisher p's q-value within the experiment's family (the rule set's verdictFdrFamily). */
  q?: number;
  /** The smallest change of the affected pass rate these windows detect (power verdictPower); null: none. */
  minimumDetectableEffect?: number | null;
}
export interface Experiment {
  changeId: string;
  lessonId: string;
  lessonTitle: string | null;
  lessonPath: string | null;
  kind: string;
  at: string;
  description: string;
  status: 'isolated' | 'confounded' | 'insufficient-data';
  confounders: Confounder[];
  affectedTests: string[];
  insufficient?: { affectedBefore: number; affectedAfter: number; minBefore: number; minAfter: number };
  overall?: Effect;
}
export interface ExperimentsAnswer extends Page<Experiment> {
  ruleSetId: string;
  counts: Record<string, number>;
}
export interface ExperimentDifference {
  changeId: string;
  lessonId: string;
  lessonTitle: string | null;
  lessonPath: string | null;
  at: string;
  statusA: string | null;
  statusB: string | null;
  effectA: number | null;
  effectB: number | null;
  significantA: boolean | null;
  significantB: boolean | null;
  reason: string;
}
export interface CompareAnswer extends Page<ExperimentDifference> {
  a: string;
  b: string;
  summary: Record<string, number>;
}
