/**
 * bench:bandit's server: the real app (`startServer`, projections and the lifecycle policy running as in
 * `serve`) in its own process, so the clients' work is not in its event loop nor in its RSS. Creates the
 * lessons through the lesson aggregate before it says it is ready; prints one JSON line `{ port }` on stdout.
 * Reports its heap after each full GC to the bench over IPC. Env: the app's settings (DATABASE_URL or
 * LESSONLOOP_DATA_DIR, LESSONLOOP_API_TOKENS) plus BENCH_LESSONS.
 */
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { startServer } from '../../src/bootstrap/create-app.js';
import { loadAppConfig } from '../../src/config/app-config.js';
import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store.port.js';
import { decideLesson } from '../../src/lessons/domain/decide-lesson.js';
import { lessonStreamId } from '../../src/lessons/domain/lesson-stream.js';
import { toNewEvents } from '../../src/lessons/store/lesson-events.js';
import { benchLessons } from './world.js';

async function main(): Promise<void> {
  const app = await startServer(loadAppConfig({ ...process.env, PORT: '0', LESSONLOOP_HOST: '127.0.0.1', LOG_LEVEL: 'warn' }));
  const store = app.get<EventStore>(EVENT_STORE);
  for (const lesson of benchLessons(Number(process.env.BENCH_LESSONS ?? 150))) {
    const drafts = decideLesson(null, { kind: 'create', ...lesson });
    await store.appendToStream(lessonStreamId(lesson.lessonId), toNewEvents(drafts, { occurredAt: new Date().toISOString(), source: 'bench' }), {
      expectedRevision: 'no_stream',
    });
  }
  const { port } = app.getHttpServer().address() as { port: number };
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  reportHeapAfterFullGcs();
  const stop = () => void app.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** After each full GC, the heap in use (what survived it) to the bench over IPC: RSS alone mixes it with GC slack. */
function reportHeapAfterFullGcs(): void {
  if (!process.send) return;
  new PerformanceObserver((list) => {
    const full = list.getEntries().some((e) => (e as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR);
    if (full) process.send!({ heapAfterGcMb: process.memoryUsage().heapUsed / 1048576 });
  }).observe({ entryTypes: ['gc'] });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
