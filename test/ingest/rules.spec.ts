import { INFRA_ERROR_MAX_DURATION_S, isSuspectedInfraError } from '../../src/ingest/gptme/infra-error.js';
import { splitModelFormat } from '../../src/ingest/gptme/model-format.js';
import { isRunFolderName, runFolderName, runTimeFromFolderName } from '../../src/ingest/gptme/run-folder.js';

describe('the model@format rule', () => {
  it('splits a suffix only when it is markdown, xml or tool', () => {
    expect(splitModelFormat('openai/gpt-4o@tool')).toEqual({ model: 'openai/gpt-4o', toolFormat: 'tool' });
    expect(splitModelFormat('openai/gpt-4o@xml')).toEqual({ model: 'openai/gpt-4o', toolFormat: 'xml' });
    expect(splitModelFormat('openai/gpt-4o@markdown')).toEqual({ model: 'openai/gpt-4o', toolFormat: 'markdown' });
    expect(splitModelFormat('openrouter/z-ai/glm-5@z-ai')).toEqual({ model: 'openrouter/z-ai/glm-5@z-ai', toolFormat: null });
    expect(splitModelFormat('openai/gpt-4o@Tool')).toEqual({ model: 'openai/gpt-4o@Tool', toolFormat: null });
    expect(splitModelFormat('@tool')).toEqual({ model: '@tool', toolFormat: null });
  });

  it('no format at all is null (unknown), not a default', () => {
    expect(splitModelFormat('openai/gpt-4o')).toEqual({ model: 'openai/gpt-4o', toolFormat: null });
  });

  it('a Tool Format column wins over the suffix', () => {
    expect(splitModelFormat('openai/gpt-4o@tool', 'xml')).toEqual({ model: 'openai/gpt-4o', toolFormat: 'xml' });
    expect(splitModelFormat('openrouter/z-ai/glm-5@z-ai', 'tool')).toEqual({ model: 'openrouter/z-ai/glm-5@z-ai', toolFormat: 'tool' });
    expect(splitModelFormat('openai/gpt-4o@markdown', null)).toEqual({ model: 'openai/gpt-4o', toolFormat: 'markdown' });
  });
});

describe('the suspected-infra-error rule', () => {
  const durations = (total: number) => ({ total });
  it('flags a failure under 5 s with no token columns or zero tokens', () => {
    expect(INFRA_ERROR_MAX_DURATION_S).toBe(5);
    expect(isSuspectedInfraError({ passed: false, durations: durations(4.99) })).toBe(true);
    expect(isSuspectedInfraError({ passed: false, durations: durations(0), tokens: { total: 0 } })).toBe(true);
  });

  it('does not flag passes, slow failures, or failures that used tokens', () => {
    expect(isSuspectedInfraError({ passed: true, durations: durations(1) })).toBe(false);
    expect(isSuspectedInfraError({ passed: false, durations: durations(5) })).toBe(false);
    expect(isSuspectedInfraError({ passed: false, durations: durations(1), tokens: { total: 1 } })).toBe(false);
    expect(isSuspectedInfraError({ passed: false })).toBe(false);
  });
});

describe('run folder names', () => {
  it('are UTC times YYYYMMDD_HHMMSSZ', () => {
    expect(runTimeFromFolderName('20260822_025022Z')).toBe('2026-08-22T02:50:22.000Z');
    expect(runFolderName(new Date('2026-08-22T02:50:22.000Z'))).toBe('20260822_025022Z');
  });

  it('refuses other names and impossible times', () => {
    for (const name of ['latest', '20260822_025022', '20260822-025022Z', '20261399_000000Z', '20260230_000000Z', '20260822_250000Z', ' 20260822_025022Z']) {
      expect(isRunFolderName(name)).toBe(false);
    }
  });
});
