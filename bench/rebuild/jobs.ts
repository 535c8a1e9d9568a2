/** What the parent asks a child process to do or measure, and what it answers. */
export type JobKind = 'import' | 'emmett-load' | 'raw-cursor' | 'store-read' | 'ours' | 'emmett';

export interface Job {
  kind: JobKind;
  /** The database holding the imported history (shared by every measurement, read-only for the reads). */
  url: string;
  historyDir: string;
  /** Events per read (cursor FETCH, store page, Emmett pull). */
  readBatch: number;
  /** Events per commit of our processor. */
  commitBatch: number;
  /** Stop Emmett after this many events (0: all). */
  emmettEvents: number;
  /** Where RSS is noted on the way (events processed). */
  rssMarks: number[];
}

export interface JobResult {
  events: number;
  seconds: number;
  /** Peak RSS (MB) up to each mark of Job.rssMarks that was reached, and at the end. */
  rssAt: { events: number; peakMb: number }[];
  note: string;
  /** A fingerprint of the read model built (sums), to check that ours and Emmett's agree. */
  check?: { rows: number; passes: number; fails: number; infraErrors: number };
}
