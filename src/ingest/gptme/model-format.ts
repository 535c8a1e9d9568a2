import { TOOL_FORMATS, type ToolFormat } from '../../../contracts/eval.js';

export function isToolFormat(value: string): value is ToolFormat {
  return (TOOL_FORMATS as readonly string[]).includes(value);
}

export interface ModelAndFormat {
  /** The model name without a tool-format suffix. */
  model: string;
  /** null when neither a `Tool Format` column nor a `@format` suffix says which format was used. */
  toolFormat: ToolFormat | null;
}

/**
 * Older files wrote the format into the model string as `model@format`. The suffix is a format only when it
 * is one of markdown, xml or tool (`openrouter/z-ai/glm-5@z-ai` is a model name). A `Tool Format` column,
 * when present and not empty, wins over the suffix.
 */
export function splitModelFormat(rawModel: string, toolFormatColumn?: ToolFormat | null): ModelAndFormat {
  const at = rawModel.lastIndexOf('@');
  const suffix = at > 0 ? rawModel.slice(at + 1) : '';
  const suffixFormat = isToolFormat(suffix) ? suffix : null;
  const model = suffixFormat ? rawModel.slice(0, at) : rawModel;
  return { model, toolFormat: toolFormatColumn ?? suffixFormat };
}
