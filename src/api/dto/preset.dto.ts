/** Request shapes of the preset routes. */
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BulkOptionsDto } from './scenario.dto';

const ID = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const GLOB = /^[A-Za-z0-9*?._-]+$/;

/** Body of POST /presets/{id}/apply. */
export class ApplyPresetDto extends BulkOptionsDto {
  /** Add to the applied presets instead of replacing them. */
  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ description: 'Add to the applied presets instead of replacing them.' })
  add?: boolean;
}

/** Body of POST /presets: a selector, or nothing to save the current state. */
export class CreatePresetDto {
  @IsString()
  @Matches(ID, { message: 'name must be a lowercase id: a-z, 0-9, - . _ (at most 63)' })
  @ApiProperty({ pattern: ID.source, example: 'nightly' })
  name!: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  @ApiPropertyOptional({ maxLength: 500 })
  description?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @Matches(GLOB, { each: true, message: 'each name must be a scenario id or glob' })
  @ApiPropertyOptional({ type: [String], description: 'Scenario ids or globs.' })
  names?: string[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  @ApiPropertyOptional({ type: [String], description: 'Selects scenarios with any of these tags.' })
  tags?: string[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @Matches(GLOB, { each: true, message: 'each exclude must be a scenario id or glob' })
  @ApiPropertyOptional({ type: [String], description: 'Ids or globs never selected.' })
  exclude?: string[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(ID, { each: true, message: 'each alias must be a lowercase id' })
  @ApiPropertyOptional({ type: [String] })
  aliases?: string[];
}

/** Body of POST /presets/import: YAML or JSON text of one or many Preset documents. */
export class ImportPresetsDto {
  @IsString()
  @MaxLength(1_000_000)
  @ApiProperty({ description: 'YAML or JSON text of one or many Preset documents.' })
  document!: string;

  /** Name of the file it came from, for error messages. */
  @IsOptional()
  @IsString()
  @MaxLength(300)
  @ApiPropertyOptional({ description: 'Name of the file it came from, for error messages.' })
  source?: string;

  /** Replace custom presets with the same id (never defaults). */
  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ description: 'Replace custom presets with the same id (never defaults).' })
  overwrite?: boolean;
}
