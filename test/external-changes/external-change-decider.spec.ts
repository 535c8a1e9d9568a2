import { externalChangeDecider, ExternalChangeConflictError, type ExternalChange } from '../../src/external-changes/domain/external-change-decider.js';
import { deciderSpec } from '../support/decider-spec.js';

const change: ExternalChange = {
  changeId: 'gpt4o-snapshot',
  kind: 'model-api',
  subject: 'openai/gpt-4o',
  description: 'Alias moved to a new snapshot',
  occurredAt: '2026-03-01T00:00:00.000Z',
};
const { occurredAt, ...data } = change;
const recorded = [{ type: 'ExternalChangeObserved', data, metadata: { occurredAt } }];
const externalChange = deciderSpec(externalChangeDecider);

describe('external change: decide (given its stream, when recorded, then the event, nothing, or a conflict)', () => {
  it('a new change is one ExternalChangeObserved (its instant goes to the metadata)', () => {
    externalChange.given([]).when({ kind: 'record', change }).then([{ type: 'ExternalChangeObserved', data }]);
  });

  it('the same change again decides nothing', () => {
    externalChange.given(recorded).when({ kind: 'record', change }).thenNothing();
  });

  it('other content under the id is refused, naming each difference', () => {
    externalChange
      .given(recorded)
      .when({ kind: 'record', change: { ...change, description: 'something else', occurredAt: '2026-03-02T00:00:00.000Z' } })
      .thenThrows(ExternalChangeConflictError, { changeId: 'gpt4o-snapshot', differences: ['description differs', 'occurredAt differs'] });
  });
});
