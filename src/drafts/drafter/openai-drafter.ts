/**
 * A drafter that asks an OpenAI-compatible chat endpoint (the official `openai` package; any server speaking
 * `POST <base>/chat/completions`) for a draft's title, rule and context, as one JSON object. Everything a
 * reviewer checks (keywords, `status: draft`, detection and evidence sections) is still assembled around it by
 * draft-proposal.ts. An answer that is not that object, or a failed request, is a DrafterError naming the
 * endpoint: detection stops there, and the drafts appended before it stay (running again appends the rest).
 */
import OpenAI from 'openai';
import { z } from 'zod';
import type { DraftProse, DraftRequest, LessonDrafter } from './lesson-drafter.port.js';

export interface OpenAiDrafterOptions {
  baseURL: string;
  model: string;
  apiKey?: string;
  timeoutMs?: number;
}

export class DrafterError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DrafterError';
  }
}

const proseSchema = z.object({
  title: z.string().trim().min(3).max(200),
  rule: z.string().trim().min(3).max(2000),
  context: z.string().trim().min(3).max(4000),
});

const SYSTEM =
  'You write lessons for gptme, an AI coding agent: short, concrete guidance the agent reads when a similar task comes up. ' +
  'Given a recurring failure pattern from its eval runs, answer with one JSON object and nothing else: ' +
  '{"title": "imperative, under 80 characters", "rule": "one or two sentences: what to do instead", "context": "when it applies and why, two or three sentences"}.';

export function draftPrompt({ pattern, keywords }: DraftRequest): string {
  return JSON.stringify({
    testFamily: pattern.family,
    tests: pattern.tests,
    kind: pattern.kind,
    signature: pattern.signature,
    exampleLine: pattern.exemplar,
    models: pattern.models,
    failures: pattern.failures,
    runs: pattern.runs,
    keywords: keywords.keywords,
  });
}

function parseProse(content: string): DraftProse | null {
  const start = content.indexOf('{');
  const end = content.lastIndexOf('}');
  if (start < 0 || end <= start) return null;
  try {
    const parsed = proseSchema.safeParse(JSON.parse(content.slice(start, end + 1)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export class OpenAiDrafter implements LessonDrafter {
  readonly name: string;
  private readonly client: OpenAI;

  constructor(private readonly options: OpenAiDrafterOptions) {
    this.name = `openai:${options.model}`;
    this.client = new OpenAI({ baseURL: options.baseURL, apiKey: options.apiKey ?? 'unused', timeout: options.timeoutMs ?? 60_000, maxRetries: 1 });
  }

  async draft(request: DraftRequest): Promise<DraftProse> {
    let content: string | null | undefined;
    try {
      const completion = await this.client.chat.completions.create({
        model: this.options.model,
        temperature: 0,
        messages: [
          { role: 'system', content: SYSTEM },
          { role: 'user', content: draftPrompt(request) },
        ],
      });
      content = completion.choices[0]?.message?.content;
    } catch (error) {
      throw new DrafterError(`the drafter at ${this.options.baseURL} (model ${this.options.model}) failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const prose = content ? parseProse(content) : null;
    if (prose === null) {
      throw new DrafterError(`the drafter at ${this.options.baseURL} (model ${this.options.model}) did not answer a JSON object with title, rule and context`);
    }
    return prose;
  }
}
