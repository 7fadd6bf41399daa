/** Response shape of GET /api/v1/timers, for the OpenAPI document. */
import { ApiProperty } from '@nestjs/swagger';

/** One named timer of the server. */
export class TimerDto {
  @ApiProperty({ example: 'reconciler.wake', description: 'The name it has in the SchedulerRegistry.' }) name!: string;
  @ApiProperty({ enum: ['interval', 'timeout'] }) kind!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'The period of an interval; null for a one-shot timeout.' }) everyMs!: number | null;
  @ApiProperty({ type: String, format: 'date-time', description: 'When it fires next.' }) nextAt!: string;
  @ApiProperty({ description: 'Milliseconds from now until it fires.' }) inMs!: number;
}

/** Every pending timer, soonest first. */
export class TimerListDto {
  @ApiProperty({ type: [TimerDto] }) timers!: TimerDto[];
}
