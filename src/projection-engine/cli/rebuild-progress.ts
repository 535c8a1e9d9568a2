/**
 * Shows a rebuild's progress while the CLI waits for it: a bar on a TTY (cli-progress), plain lines
 * every few seconds otherwise (logs, CI).
 */
import cliProgress from 'cli-progress';
import type { InstanceStatus } from '../status/status.js';
import { formatDuration, formatProgressLine } from './format-status.js';

export interface ProgressView {
  update(status: InstanceStatus): void;
  finish(status: InstanceStatus | undefined): void;
}

export function progressView(out: NodeJS.WritableStream & { isTTY?: boolean }, lineEveryMs = 5000): ProgressView {
  if (out.isTTY) return barView(out);
  let lastLine = 0;
  return {
    update(status) {
      const now = Date.now();
      if (now - lastLine < lineEveryMs) return;
      lastLine = now;
      out.write(`${formatProgressLine(status)}\n`);
    },
    finish(status) {
      if (status) out.write(`${formatProgressLine(status)}\n`);
    },
  };
}

function barView(out: NodeJS.WritableStream): ProgressView {
  const bar = new cliProgress.SingleBar(
    {
      stream: out as NodeJS.WritableStream & { isTTY: boolean },
      format: '{instance} [{bar}] {percentage}% | {value}/{total} events | {rate} events/s | ETA {etaText}',
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const payload = (s: InstanceStatus) => ({
    instance: s.instanceId,
    rate: s.eventsPerSecond === null ? '?' : Math.round(s.eventsPerSecond),
    etaText: formatDuration(s.progress?.etaSeconds ?? null),
  });
  const counts = (s: InstanceStatus) => {
    const done = s.progress?.done ?? s.eventsProcessed;
    return { done, total: Math.max(done, s.progress?.total ?? done + (s.lag?.events ?? 0)) };
  };
  return {
    update(status) {
      const { done, total } = counts(status);
      if (!started) {
        bar.start(total, done, payload(status));
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(done, payload(status));
      }
    },
    finish(status) {
      if (started && status) {
        const { done, total } = counts(status);
        bar.setTotal(total);
        bar.update(done, { ...payload(status), etaText: '0s' });
      }
      if (started) bar.stop();
    },
  };
}
