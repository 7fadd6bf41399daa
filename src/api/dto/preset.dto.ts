/** Request shapes of the preset routes. */
import { BadRequestException } from '@nestjs/common';
import { plainToInstance, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsObject, IsOptional, IsString, Matches, MaxLength, ValidateBy, ValidateNested, validateSync } from 'class-validator';
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

/** A Preset manifest's selector: names or tags pick scenarios, exclude takes some away. */
export class PresetSelectorDto {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @Matches(GLOB, { each: true, message: 'each selector name must be a scenario id or glob' })
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
  @Matches(GLOB, { each: true, message: 'each selector exclude must be a scenario id or glob' })
  @ApiPropertyOptional({ type: [String], description: 'Ids or globs never selected.' })
  exclude?: string[];
}

/** True for `{id: boolean}` with lowercase ids, at most 10,000 of them. */
function isStatesMap(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return entries.length <= 10_000 && entries.every(([id, on]) => ID.test(id) && typeof on === 'boolean');
}

/**
 * Body of POST /presets. One of: `selector` (the Preset manifest's shape); `names`/`tags`/`exclude` at the
 * top level; `states` ({id: bool}, the original's Go CLI; true ids are selected, false ids excluded;
 * `tags` may come with it); or nothing / `fromCurrentState: true` to save the scenarios active now.
 */
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

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => PresetSelectorDto)
  @ApiPropertyOptional({ type: PresetSelectorDto, description: 'The selector, as a Preset manifest writes it: {names, tags, exclude}.' })
  selector?: PresetSelectorDto;

  @IsOptional()
  @ValidateBy({ name: 'isStatesMap', validator: { validate: isStatesMap, defaultMessage: () => 'states must map scenario ids to true or false' } })
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'boolean' },
    example: { 'code-smell': true, 'log-cleanup': false },
    description: "The original Go CLI's shape: true ids are the preset's names, false ids its excludes; ids must be discovered scenarios.",
  })
  states?: Record<string, boolean>;

  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ description: 'Save the scenarios active now (also what an empty selector does).' })
  fromCurrentState?: boolean;
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

/** Query of POST /presets/import, for a raw manifest body (a `{document}` body carries these itself). */
export class ImportPresetsQuery {
  @IsOptional()
  @IsIn(['true', 'false'])
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Replace custom presets with the same id (never defaults).' })
  overwrite?: 'true' | 'false';

  @IsOptional()
  @IsString()
  @MaxLength(300)
  @ApiPropertyOptional({ description: 'Name of the file it came from, for error messages.' })
  source?: string;
}

/**
 * What to import from the body of POST /presets/import: `{document, source?, overwrite?}`; raw YAML text
 * (a YAML media type); or a Preset manifest (or a list of them) sent as JSON.
 */
export function importRequest(body: unknown, query: ImportPresetsQuery): { document: string; source: string; overwrite: boolean } {
  const fromQuery = { source: query.source ?? 'request body', overwrite: query.overwrite === 'true' };
  if (typeof body === 'string') return { document: body, ...fromQuery };
  if (isRecord(body) && 'document' in body) {
    const wrapped = plainToInstance(ImportPresetsDto, body);
    const errors = validateSync(wrapped, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length) throw new BadRequestException(errors.flatMap((error) => Object.values(error.constraints ?? {})));
    return { document: wrapped.document, source: wrapped.source ?? fromQuery.source, overwrite: wrapped.overwrite ?? fromQuery.overwrite };
  }
  if (Array.isArray(body) || (isRecord(body) && 'kind' in body)) return { document: JSON.stringify(body), ...fromQuery };
  throw new BadRequestException('send {document: "<YAML or JSON text>"}, a Preset manifest as JSON, or YAML with Content-Type: application/yaml');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
