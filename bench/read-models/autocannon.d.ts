declare module 'autocannon' {
  interface Histogram {
    p50: number;
    p90: number;
    p99: number;
    p99_9: number;
    max: number;
    mean: number;
  }
  interface Result {
    latency: Histogram;
    requests: { total: number; average: number };
    non2xx: number;
    errors: number;
    timeouts: number;
  }
  interface Options {
    url: string;
    connections?: number;
    overallRate?: number;
    duration?: number;
    workers?: number;
  }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
