import cliProgress from 'cli-progress';

export interface ImportProgressState {
  runsDone: number;
  runsTotal: number;
  /** Outcome rows read so far. */
  rows: number;
  elapsedMs: number;
}

/** Receives the importer's progress; `update` is called often, implementations throttle themselves. */
export interface ImportProgress {
  start(runsTotal: number): void;
  update(state: ImportProgressState): void;
  stop(state: ImportProgressState): void;
}

export const silentProgress: ImportProgress = { start() {}, update() {}, stop() {} };

/** A progress bar (runs, rows, rows/s) on a terminal; a plain line every `intervalMs` otherwise (logs, CI). */
export function progressFor(stream: NodeJS.WriteStream, intervalMs = 5000): ImportProgress {
  return stream.isTTY ? progressBar(stream) : progressLines(stream, intervalMs);
}

export function progressBar(stream: NodeJS.WritableStream): ImportProgress {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: 'runs {bar} {value}/{total} | {rows} rows | {rate} rows/s | {duration_formatted}',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const payload = (s: ImportProgressState) => ({ rows: s.rows, rate: rowsPerSecond(s) });
  return {
    start: (runsTotal) => bar.start(runsTotal, 0, { rows: 0, rate: 0 }),
    update: (s) => bar.update(s.runsDone, payload(s)),
    stop: (s) => {
      bar.update(s.runsDone, payload(s));
      bar.stop();
    },
  };
}

export function progressLines(stream: NodeJS.WritableStream, intervalMs: number): ImportProgress {
  let lastAt = 0;
  const line = (s: ImportProgressState) =>
    stream.write(`import: ${s.runsDone}/${s.runsTotal} runs, ${s.rows} rows, ${rowsPerSecond(s)} rows/s\n`);
  return {
    start: (runsTotal) => {
      lastAt = Date.now();
      stream.write(`import: ${runsTotal} runs to read\n`);
    },
    update: (s) => {
      if (Date.now() - lastAt < intervalMs) return;
      lastAt = Date.now();
      line(s);
    },
    stop: line,
  };
}

function rowsPerSecond(s: ImportProgressState): number {
  return s.elapsedMs > 0 ? Math.round((s.rows * 1000) / s.elapsedMs) : 0;
}
