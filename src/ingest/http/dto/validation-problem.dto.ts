import { ApiProperty } from '@nestjs/swagger';
import type { RunProblem } from '../intake/run-problem.js';

export class RunProblemDto implements RunProblem {
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'JSON: 0-based index into `outcomes`; CSV: 1-based file line (header = 1); null: the run as a whole',
  })
  row!: number | null;
  @ApiProperty({ type: 'string', nullable: true, description: 'JSON field path or CSV column name' })
  field!: string | null;
  @ApiProperty()
  reason!: string;
}

export class RunRejectedDto {
  @ApiProperty({ example: 400 })
  statusCode!: number;
  @ApiProperty({ example: 'Bad Request' })
  error!: string;
  @ApiProperty({ example: 'The run was not recorded: 2 problem(s)' })
  message!: string;
  @ApiProperty({ type: [RunProblemDto] })
  problems!: RunProblemDto[];
}
