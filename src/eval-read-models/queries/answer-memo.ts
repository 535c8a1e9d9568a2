/**
 * Answers derived from a cached read-model value (the same object until its instance moves), kept per query
 * parameters: a repeated request gets the very same answer object, so its JSON is written once
 * (SerializedJsonInterceptor). Entries go with their source object; at most `maxPerSource` per source.
 */
export class AnswerMemo {
  private readonly bySource = new WeakMap<object, Map<string, unknown>>();

  constructor(private readonly maxPerSource = 256) {}

  get<T>(source: object, params: unknown, compute: () => T): T {
    let answers = this.bySource.get(source);
    if (!answers) this.bySource.set(source, (answers = new Map()));
    const key = JSON.stringify(params);
    if (answers.has(key)) return answers.get(key) as T;
    const answer = compute();
    if (answers.size >= this.maxPerSource) answers.delete(answers.keys().next().value!);
    answers.set(key, answer);
    return answer;
  }
}
