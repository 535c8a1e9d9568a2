import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { HistoryReader } from '../read-model/history-reader.js';
import type { HistoryParams } from './eval-query-params.js';

export class GetTestHistoryQuery {
  constructor(
    readonly model: string,
    readonly test: string,
    readonly params: HistoryParams,
  ) {}
}

@QueryHandler(GetTestHistoryQuery)
export class GetTestHistoryHandler implements IQueryHandler<GetTestHistoryQuery> {
  constructor(private readonly readModels: HistoryReader) {}

  async execute({ model, test, params: p }: GetTestHistoryQuery) {
    const all = await this.readModels.testHistory(model, test, {
      ...(p.format !== undefined ? { format: p.format } : {}),
      ...(p.suite !== undefined ? { suite: p.suite } : {}),
      ...(p.from !== undefined ? { from: p.from } : {}),
      ...(p.to !== undefined ? { to: p.to } : {}),
    });
    const start = p.cursor === undefined ? all : all.filter((e) => e.orderKey < p.cursor!);
    const items = start.slice(0, p.limit);
    const more = start.length > p.limit;
    return {
      model,
      test,
      total: all.length,
      items,
      nextCursor: more ? items[items.length - 1]!.orderKey : null,
    };
  }
}
