/** What a projection pass shares with its processor, and how a pass (or one of its steps) ends. */
import type { Logger } from '@nestjs/common';
import type { CaughtUpSignal } from './caught-up-signal.js';
import type { ProcessorDeps, ProcessorOptions } from './processor-options.js';
import type { RateWindow } from './rate-window.js';

/** How a pass ended, which says what the processor does next. */
export type PassEnd =
  /** Read the instance again and start a new pass from its checkpoint. */
  | 'reload'
  /** Our lease was taken over: wait for it again. */
  | 'lease-lost'
  /** An event failed (recorded on the instance): wait for a retry. */
  | 'failed'
  /** The instance was dropped, or retired: the processor ends. */
  | 'gone'
  | 'retired'
  | 'stopped'
  /** The subscription ended by itself, which it should not. */
  | 'ended';

export type Step = 'ok' | 'reload' | 'lease-lost' | 'failed' | 'gone' | 'retired';

/** What a pass shares with its processor and the passes before and after it. */
export interface PassContext {
  deps: ProcessorDeps;
  options: ProcessorOptions;
  owner: string;
  unitId: string; // the lease's id: the instance's, or its segment's (`<instance>#<n>`)
  logger: Pick<Logger, 'log' | 'warn' | 'error'>;
  signal: AbortSignal;
  rate: RateWindow;
  caughtUp: CaughtUpSignal;
  leaseLost(): boolean;
  handingOver(): boolean; // giving the segment back: end the pass after the next commit
  /** A batch was committed, or the pass reached the head: the processor is working again (ends a retry streak). */
  progressed(): void;
}
