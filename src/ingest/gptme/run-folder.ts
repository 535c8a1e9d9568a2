/** gptme names each run's folder after its start time in UTC: `YYYYMMDD_HHMMSSZ`. */
export const RUN_FOLDER_PATTERN = /^(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})Z$/;

/** The run's start as an ISO instant, or null when `name` is not a run folder name (or not a real time). */
export function runTimeFromFolderName(name: string): string | null {
  const m = RUN_FOLDER_PATTERN.exec(name);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const time = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const roundTrips =
    time.getUTCFullYear() === year &&
    time.getUTCMonth() === month - 1 &&
    time.getUTCDate() === day &&
    time.getUTCHours() === hour &&
    time.getUTCMinutes() === minute &&
    time.getUTCSeconds() === second;
  return roundTrips ? time.toISOString() : null;
}

export function isRunFolderName(name: string): boolean {
  return runTimeFromFolderName(name) !== null;
}

/** The folder name for a run time (the inverse of runTimeFromFolderName). */
export function runFolderName(time: Date): string {
  const iso = time.toISOString(); // 2026-08-22T02:50:22.000Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}_${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}
