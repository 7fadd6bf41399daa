/** Request shapes of the declared-state routes. */
import { IsArray, IsObject, IsOptional, IsString, MaxLength, MinLength, ArrayMaxSize } from 'class-validator';
import { BulkOptionsDto } from './scenario.dto';

/** Body of PUT /desired-state and POST /plan: presets plus overrides (checked deeply by the manifest schema). */
export class DesiredStateDto extends BulkOptionsDto {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  presets?: string[];

  @IsOptional()
  @IsObject()
  overrides?: Record<string, unknown>;
}

/** Body of POST /apply: manifests as YAML or JSON text (apply -f). */
export class ApplyManifestsDto extends BulkOptionsDto {
  @IsString()
  @MaxLength(1_000_000)
  manifests!: string;

  @IsOptional()
  @IsString()
  @MaxLength(300)
  source?: string;
}

/** Body of POST /stop-all. */
export class StopAllDto {
  @IsString()
  @MinLength(1, { message: 'reason must say why (it is recorded with the actor)' })
  @MaxLength(500)
  reason!: string;
}

/** Body of PUT /policy: the spec of a Policy manifest (checked by the manifest schema). */
export class PolicyDto {
  @IsObject()
  spec!: Record<string, unknown>;
}
