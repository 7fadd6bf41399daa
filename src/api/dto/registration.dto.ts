/** Body of POST /registrations. */
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** A scenario's announcement of where it listens; renewed by posting it again before `ttlSeconds` pass. */
export class RegistrationDto {
  @IsString()
  @MaxLength(128)
  id!: string;

  @IsString()
  @MaxLength(500)
  endpoint!: string;

  @IsInt()
  @Min(1)
  @Max(7 * 24 * 3600)
  ttlSeconds!: number;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  stateEndpoint?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  tags?: string[];

  @IsOptional()
  @IsString()
  @MaxLength(200)
  displayName?: string;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string;

  @IsOptional()
  @IsIn(['light', 'heavy'])
  weight?: 'light' | 'heavy';

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  conflictsWith?: string[];
}
