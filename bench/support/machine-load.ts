import os from 'node:os';

/** One line that says how busy the machine was, like `uptime`: numbers measured on a loaded box are not final. */
export function machineLoadLine(): string {
  const [one, five, fifteen] = os.loadavg().map((l) => l.toFixed(2));
  return `load average ${one}, ${five}, ${fifteen} on ${os.cpus().length} CPUs (${os.hostname()}, node ${process.version})`;
}
