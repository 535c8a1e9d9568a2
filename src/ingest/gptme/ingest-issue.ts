/** A problem found in an input file. `line` is 1-based; 0 means the file as a whole (e.g. it cannot be read). */
export interface IngestIssue {
  file: string;
  line: number;
  /** The CSV column (or JSON field) at fault, when there is one. */
  field?: string;
  reason: string;
}

export function formatIssue(issue: IngestIssue): string {
  return `${issue.file}:${issue.line}: ${issue.reason}`;
}

/** Thrown when an input file is malformed; carries every issue found, not only the first. */
export class IngestError extends Error {
  constructor(readonly issues: IngestIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'IngestError';
  }
}
