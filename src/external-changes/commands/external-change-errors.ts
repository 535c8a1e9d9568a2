import type { FieldProblem } from '../dto/external-change-body.schema.js';

export class ExternalChangeRejectedError extends Error {
  constructor(readonly problems: FieldProblem[]) {
    super(`The change was not recorded: ${problems.length} problem(s)`);
    this.name = 'ExternalChangeRejectedError';
  }
}

export class ExternalChangeConflictError extends Error {
  constructor(
    readonly changeId: string,
    readonly differences: string[],
  ) {
    super(`Change ${changeId} is already recorded with different content (${differences.join(', ')}); use a new changeId`);
    this.name = 'ExternalChangeConflictError';
  }
}
