/** What a pass does each time it reaches the head of the log. */
import type { Position } from '../../../contracts/envelope.js';
import { promoteToCurrent } from '../instances/blue-green.js';
import { findInstance, setPhase, type InstancePhase } from '../instances/instances.js';
import { segmentCaughtUp } from '../instances/segments.js';
import type { PassContext, Step } from './pass-context.js';

/** The part of a pass's state reaching the head changes. */
export interface HeadState {
  phase: InstancePhase;
  /** When the pass last checked that its instance still exists (performance.now()). */
  lastInstanceCheck: number;
}

/** A rebuild is promoted, a catching-up one goes live (segmented: once all segments are), a live one checks it exists. */
export async function reachHead(ctx: PassContext, checkpoint: Position, state: HeadState): Promise<Step> {
  const { sql, segment, instanceId } = ctx.deps;
  if (segment && state.phase !== 'live' && !(await segmentCaughtUp(sql, instanceId, segment.index))) {
  } else if (state.phase === 'rebuilding') {
    const promotion = await promoteToCurrent(sql, instanceId);
    if (!promotion.promoted) return 'retired';
    state.phase = 'live';
    ctx.logger.log(`caught up and is now current${promotion.previous ? ` (replacing ${promotion.previous})` : ''}`);
    ctx.deps.hooks?.onPromoted?.(instanceId, promotion.previous);
  } else if (state.phase === 'catching-up') {
    await setPhase(sql, instanceId, 'live');
    state.phase = 'live';
  } else if (performance.now() - state.lastInstanceCheck > ctx.options.instanceCheckMs) {
    state.lastInstanceCheck = performance.now();
    const instance = await findInstance(sql, instanceId);
    if (!instance) return 'gone';
    if (instance.phase === 'retired') return 'retired';
  }
  ctx.progressed();
  ctx.caughtUp.reached();
  ctx.deps.hooks?.onCaughtUp?.(ctx.unitId, checkpoint);
  return 'ok';
}
