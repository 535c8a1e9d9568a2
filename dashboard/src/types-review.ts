/** What the API answers for the injection gate and the drafts review queue (docs/injection-gate.md, docs/drafts.md). */
export type GateRecommendation = 'inject' | 'suppress' | 'default';

export interface GateArm {
  n: number;
  passes: number;
  passRate: number | null;
}
export interface GateContrast {
  withLessons: GateArm;
  withoutLessons: GateArm & { sources: { coin: number; 'run-holdout': number } };
  delta: number | null;
  p: number | null;
  q: number | null;
  recommendation: GateRecommendation;
}
export interface GatePair extends GateContrast {
  model: string;
  test: string;
  infraErrorsExcluded: number;
}
export interface GateRules {
  gateHoldoutSources: string;
  gateFdrMethod: string;
  gateFdrLevel: number;
  gateMinOutcomesPerArm: number;
}
export interface GatePairs {
  ruleSet: string;
  rules: GateRules;
  counts: Record<GateRecommendation, number>;
  total: number;
  offset: number;
  pairs: GatePair[];
}
export interface GateLesson extends GateContrast {
  lessonRef: string;
  lessonId: string | null;
  lessonTitle: string | null;
  lessonPath: string | null;
  evidence: { withLessons: unknown[]; withoutLessons: unknown[] };
}
export interface GatePairAnswer {
  pair: GatePair & { evidence: { withLessons: unknown[]; withoutLessons: unknown[] } };
  lessons: GateLesson[];
}

export type DraftStatus = 'proposed' | 'accepted' | 'rejected';
export interface DraftEvidence {
  outcomeEventId: string;
  runId: string;
  test: string;
  model: string;
  occurredAt: string;
}
export interface Draft {
  draftId: string;
  status: DraftStatus;
  proposedAt: string;
  title: string;
  path: string;
  pattern: { key: string; kind: string; signature: string; testFamily: string; tests: string[]; models: string[]; exemplar: string; firstSeen: string; lastSeen: string };
  statistics: { failures: number; runs: number; models: number; familyOutcomes: number; backgroundRate: number; pValue: number; qValue: number };
  keywords: string[];
  drafter: string;
  ruleSet: { id: string; version: number };
  review: { at: string; actor: string; lessonId?: string; reason?: string } | null;
  evidence?: DraftEvidence[];
  file?: string;
}
export interface DraftPage {
  drafts: Draft[];
  next: string | null;
  total: number;
}
