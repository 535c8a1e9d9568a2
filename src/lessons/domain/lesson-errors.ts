/** Why a lesson command was refused. Nothing is written when one is thrown. */

export interface LessonProblem {
  /** The command field at fault (`match.add.keywords[0]`, `status`), or null for the command as a whole. */
  field: string | null;
  reason: string;
}

/** The command breaks a rule (an empty keyword, an unknown status, archiving an archived lesson...). */
export class LessonRejectedError extends Error {
  constructor(readonly problems: LessonProblem[]) {
    super(`The lesson command was refused: ${problems.map((p) => (p.field ? `${p.field}: ${p.reason}` : p.reason)).join('; ')}`);
    this.name = 'LessonRejectedError';
  }
}

export class LessonNotFoundError extends Error {
  constructor(readonly lessonId: string) {
    super(`Lesson ${lessonId} does not exist`);
    this.name = 'LessonNotFoundError';
  }
}

export class LessonAlreadyExistsError extends Error {
  constructor(readonly lessonId: string) {
    super(`Lesson ${lessonId} already exists`);
    this.name = 'LessonAlreadyExistsError';
  }
}

/** The caller edited another revision than the current one (HTTP: a stale If-Match). */
export class LessonRevisionConflictError extends Error {
  constructor(
    readonly lessonId: string,
    readonly expectedRevision: number,
    readonly currentRevision: number,
  ) {
    super(`Lesson ${lessonId} is at revision ${currentRevision}, not ${expectedRevision}: read it again and re-apply your change`);
    this.name = 'LessonRevisionConflictError';
  }
}
