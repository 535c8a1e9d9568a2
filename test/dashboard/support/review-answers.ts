/** The injection gate's and the drafts queue's API answers, as far as the browser spec compares them with the page. */
export interface GateArmAnswer { n: number; passes: number }
export interface GateContrastAnswer {
  withLessons: GateArmAnswer; withoutLessons: GateArmAnswer; delta: number | null; p: number | null; q: number | null; recommendation: string;
}
export interface GatePairsAnswer {
  counts: Record<'inject' | 'suppress' | 'default', number>;
  total: number;
  pairs: (GateContrastAnswer & { model: string; test: string })[];
}
export interface GatePairAnswer {
  pair: GateContrastAnswer & { evidence: { withLessons: unknown[]; withoutLessons: unknown[] } };
  lessons: (GateContrastAnswer & { lessonRef: string; lessonId: string | null; lessonTitle: string | null; lessonPath: string | null })[];
}
export interface DraftAnswer {
  draftId: string; status: string; title: string; path: string;
  pattern: { kind: string; testFamily: string };
  statistics: { failures: number; familyOutcomes: number; pValue: number; qValue: number };
  review: { actor: string; reason?: string } | null;
  evidence?: { outcomeEventId: string; runId: string }[];
  file?: string;
}
export interface DraftsAnswer { drafts: DraftAnswer[]; next: string | null; total: number }

/** What the page shows for a gate arm and a p, q or draft statistic. */
export const armText = (a: GateArmAnswer) => (a.n === 0 ? '–' : `${a.passes}/${a.n} (${((a.passes / a.n) * 100).toFixed(0)}%)`);
export const fixed3 = (v: number | null) => (v === null ? '–' : v.toFixed(3));
export const sci = (v: number) => (v === 0 ? '0' : v < 0.001 ? v.toExponential(1) : v.toFixed(3));
