import type { ProjectionEventSkippedData } from '../../contracts/projection-ops.js';
import { skipDecider } from '../../src/projection-engine/instances/skip-decider.js';
import { deciderSpec } from '../support/decider-spec.js';

const skip = (instanceId: string, eventId: string): ProjectionEventSkippedData => ({
  instanceId,
  eventId,
  eventType: 'TestOutcomeRecorded',
  position: { commit: '12', prepare: '12' },
  reason: 'test name over the btree row limit, fixed at ingest since',
  error: 'index row size 3096 exceeds btree version 4 maximum 2704',
});

describe('skip decider (operator skips of a failed projection event)', () => {
  const spec = deciderSpec(skipDecider);

  it('records a first skip of an (instance, event) pair', () => {
    const data = skip('trends.v1.g1', 'e-1');
    spec.given([]).when({ skip: data }).then([{ type: 'ProjectionEventSkipped', data }]);
  });

  it('decides nothing when the same pair is already skipped', () => {
    spec.given([{ type: 'ProjectionEventSkipped', data: skip('trends.v1.g1', 'e-1') }]).when({ skip: skip('trends.v1.g1', 'e-1') }).thenNothing();
  });

  it('records the same event for another instance, and another event for the same instance', () => {
    const given = [{ type: 'ProjectionEventSkipped', data: skip('trends.v1.g1', 'e-1') }];
    spec.given(given).when({ skip: skip('test-history.v1.g1', 'e-1') }).thenMatches([{ type: 'ProjectionEventSkipped' }]);
    spec.given(given).when({ skip: skip('trends.v1.g1', 'e-2') }).thenMatches([{ type: 'ProjectionEventSkipped' }]);
  });
});
