/**
 * Latency at a fixed request rate on loopback (autocannon, coordinated-omission corrected), and the floor to
 * hold it against: a bare node:http server sending the same bytes, measured the same way in the same run.
 *
 * autocannon's rate is a cap per second, not a pace: each connection sends back to back until it has used its
 * share of the second, then waits for the next one. So the requests of each second arrive as a burst
 * `connections` deep, and the p99 is set by how fast the server drains that queue; `ceiling` (unpaced) is that
 * speed. Latencies are autocannon's whole milliseconds.
 */
import http from 'node:http';
import autocannon from 'autocannon';

export interface PacedResult {
  p50: number;
  p99: number;
  max: number;
  /** Requests per second achieved at the paced rate. */
  rps: number;
  /** Requests per second unpaced (same connections): how fast the server drains a burst. */
  ceiling: number;
  /** Errors, timeouts and non-2xx answers over both runs. */
  bad: number;
}

export interface PacedOptions {
  rate: number;
  /** Seconds measured (after a 2 s warm-up). */
  duration: number;
  connections?: number;
}

export async function pacedLatency(url: string, options: PacedOptions): Promise<PacedResult> {
  const connections = options.connections ?? 10;
  await autocannon({ url, connections, overallRate: options.rate, duration: 2, workers: 1 }); // warm-up
  const paced = await autocannon({ url, connections, overallRate: options.rate, duration: options.duration, workers: 1 });
  const unpaced = await autocannon({ url, connections, duration: 3, workers: 1 });
  return {
    p50: paced.latency.p50,
    p99: paced.latency.p99,
    max: paced.latency.max,
    rps: paced.requests.average,
    ceiling: unpaced.requests.average,
    bad: paced.non2xx + paced.errors + paced.timeouts + unpaced.non2xx + unpaced.errors + unpaced.timeouts,
  };
}

/** A bare node:http server answering every request with `body`: no framework, no database. */
export async function bareServer(body: string): Promise<{ url: string; close: () => Promise<void> }> {
  const bytes = Buffer.from(body);
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': bytes.length });
    res.end(bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
