/**
 * The drafter configuration asks for: an OpenAI-compatible one when LESSONLOOP_DRAFTER_BASE_URL and
 * LESSONLOOP_DRAFTER_MODEL are both set, the deterministic template drafter when neither is; one alone is refused.
 */
import type { AppConfig } from '../../config/app-config.js';
import type { LessonDrafter } from './lesson-drafter.port.js';
import { DrafterError, OpenAiDrafter } from './openai-drafter.js';
import { TemplateDrafter } from './template-drafter.js';

export type DrafterConfig = Pick<AppConfig, 'LESSONLOOP_DRAFTER_BASE_URL' | 'LESSONLOOP_DRAFTER_MODEL' | 'LESSONLOOP_DRAFTER_API_KEY' | 'LESSONLOOP_DRAFTER_TIMEOUT_MS'>;

export function configuredDrafter(config: DrafterConfig): LessonDrafter {
  const baseURL = config.LESSONLOOP_DRAFTER_BASE_URL;
  const model = config.LESSONLOOP_DRAFTER_MODEL;
  if (!baseURL && !model) return new TemplateDrafter();
  if (!baseURL || !model) {
    throw new DrafterError(`set both LESSONLOOP_DRAFTER_BASE_URL and LESSONLOOP_DRAFTER_MODEL for the OpenAI-compatible drafter, or neither for the template drafter`);
  }
  return new OpenAiDrafter({ baseURL, model, apiKey: config.LESSONLOOP_DRAFTER_API_KEY, timeoutMs: config.LESSONLOOP_DRAFTER_TIMEOUT_MS });
}
