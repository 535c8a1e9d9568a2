import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { CiGateVerdict } from '../../../projections/eval/ci-gate.js';
import { CiGateReader } from '../read-model/ci-gate-reader.js';
import type { CiGateParams } from './ci-gate-params.js';

export class GetCiGateQuery {
  constructor(
    readonly run: string,
    readonly params: CiGateParams,
  ) {}
}

/** The CI gate's verdict on one run (never cached: a gate is asked once per run). */
@QueryHandler(GetCiGateQuery)
export class GetCiGateHandler implements IQueryHandler<GetCiGateQuery> {
  constructor(private readonly reader: CiGateReader) {}

  execute({ run, params }: GetCiGateQuery): Promise<CiGateVerdict> {
    return this.reader.verdict(run, params);
  }
}
