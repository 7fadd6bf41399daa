/** Request shapes of the declared-state routes. */
import { IsArray, IsObject, IsOptional, IsString, MaxLength, ArrayMaxSize } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BulkOptionsDto } from './scenario.dto';

/** Body of PUT /desired-state and POST /plan: presets plus overrides (checked deeply by the manifest schema). */
export class DesiredStateDto extends BulkOptionsDto {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @ApiPropertyOptional({ type: [String] })
  presets?: string[];

  @IsOptional()
  @IsObject()
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'object', properties: { state: { type: 'string', enum: ['active', 'inactive'] }, ttl: { oneOf: [{ type: 'string', example: '2h' }, { type: 'number', description: 'seconds' }] }, reason: { type: 'string' } } }, description: '{id: {state, ttl?, reason?}}' })
  overrides?: Record<string, unknown>;
}

/** Body of POST /apply: manifests as YAML or JSON text (apply -f). */
export class ApplyManifestsDto extends BulkOptionsDto {
  @IsString()
  @MaxLength(1_000_000)
  @ApiProperty({ description: 'Manifests as YAML or JSON text, any kinds.' })
  manifests!: string;

  @IsOptional()
  @IsString()
  @MaxLength(300)
  @ApiPropertyOptional({ description: 'Name of the file it came from, for error messages.' })
  source?: string;
}

/** Body of POST /stop-all: optional, since an emergency stop is never refused for want of a reason. */
export class StopAllDto {
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @ApiPropertyOptional({ maxLength: 500, description: 'Recorded with the actor; "no reason given" when absent or blank.' })
  reason?: string;
}

/** Body of PUT /policy: the spec of a Policy manifest (checked by the manifest schema). */
export class PolicyDto {
  @IsObject()
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The spec of a Policy manifest.' })
  spec!: Record<string, unknown>;
}
