/** What the parent asks a child process to measure, and what it answers. */
export type MeasurementKind = 'ours' | 'ours-unvalidated' | 'raw-copy-events' | 'raw-copy-csv';

export interface Job {
  kind: MeasurementKind;
  /** A fresh, empty database for this measurement alone. */
  url: string;
  historyDir: string;
  /** Events per appendMany / per COPY transaction. */
  batchEvents: number;
}

export interface MeasurementResult {
  /** Outcome rows read from the CSV files. */
  rows: number;
  /** Rows written to the database (events, or CSV rows for the CSV baseline). */
  written: number;
  seconds: number;
  note: string;
}
