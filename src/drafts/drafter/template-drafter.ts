/** The default drafter: deterministic prose from the pattern alone (the same pattern, the same words). */
import type { DetectedPattern } from '../../../projections/drafts/detect-patterns.js';
import type { DraftProse, DraftRequest, LessonDrafter } from './lesson-drafter.port.js';

const WHAT: Record<DetectedPattern['kind'], string> = {
  exception: 'fails with',
  patch: 'has its patch refused:',
  command: 'has a command fail:',
  timeout: 'times out:',
  steps: 'runs out of steps:',
  tokens: 'runs out of context:',
};

function headline(pattern: DetectedPattern): string {
  const signature = pattern.signature.replace(/^(patch|command|timeout|steps|tokens): /, '');
  return signature.length > 80 ? `${signature.slice(0, 77)}...` : signature;
}

export function templateProse({ pattern }: DraftRequest): DraftProse {
  const head = headline(pattern);
  return {
    title: `Avoid "${head}" in ${pattern.family} tasks`,
    rule:
      `Before finishing a ${pattern.family} task, check for the failure \`${head}\` and fix its cause ` +
      'instead of retrying the same step; run the check again after the fix.',
    context:
      `On ${pattern.family} tests (${pattern.tests.join(', ')}), ${pattern.models.length} models ${WHAT[pattern.kind]} ` +
      `\`${head}\` again and again, far more often than anywhere else.`,
  };
}

export class TemplateDrafter implements LessonDrafter {
  readonly name = 'template';

  draft(request: DraftRequest): Promise<DraftProse> {
    return Promise.resolve(templateProse(request));
  }
}
