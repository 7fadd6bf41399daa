/** Body of POST /registrations. */
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** A scenario's announcement of where it listens; renewed by posting it again before `ttlSeconds` pass. */
export class RegistrationDto {
  @IsString()
  @MaxLength(128)
  @ApiProperty({ example: 'backup-runner' })
  id!: string;

  @IsString()
  @MaxLength(500)
  @ApiProperty({ example: 'http://127.0.0.1:15010', description: 'Base URL on an allowed host.' })
  endpoint!: string;

  @IsInt()
  @Min(1)
  @Max(24 * 3600)
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 86400, description: 'Renew by posting again before this passes.' })
  ttlSeconds!: number;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  @ApiPropertyOptional({ example: '/api/maintenance/state' })
  stateEndpoint?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @ApiPropertyOptional({ type: [String] })
  tags?: string[];

  @IsOptional()
  @IsString()
  @MaxLength(200)
  @ApiPropertyOptional()
  displayName?: string;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @ApiPropertyOptional()
  description?: string;

  @IsOptional()
  @IsIn(['light', 'heavy'])
  @ApiPropertyOptional({ enum: ['light', 'heavy'] })
  weight?: 'light' | 'heavy';

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @ApiPropertyOptional({ type: [String] })
  conflictsWith?: string[];
}
