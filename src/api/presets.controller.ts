/** /api/v1/presets: list, show, apply, remove, create, import, export, delete. */
import { Requires } from './roles';
import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiProduces, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { YAML_MEDIA_TYPES } from './body-parsing';
import { ApiErrors, BEARER_SCHEME } from './openapi';
import { ActivePresetsDto, CreatedPresetDto, PresetChangeDto, PresetDto, PresetListDto } from './dto/responses.dto';
import { ImportResultDto } from './dto/state-views.dto';
import { PresetService } from '../state/preset.service';
import { ControlService } from '../state/control.service';
import { Actor } from './auth';
import { ApplyPresetDto, CreatePresetDto, ImportPresetsDto, ImportPresetsQuery, importRequest } from './dto/preset.dto';
import { BulkOptionsDto } from './dto/scenario.dto';

@ApiTags('presets')
@ApiBearerAuth(BEARER_SCHEME)
@ApiErrors(401)
@Controller('api/v1/presets')
export class PresetsController {
  constructor(
    private readonly presets: PresetService,
    private readonly control: ControlService,
  ) {}

  @Get()
  @Requires('viewer')
  @ApiOperation({ summary: 'List presets' })
  @ApiOkResponse({ type: PresetListDto })
  list() {
    return { presets: this.presets.list() };
  }

  /** Declared before `:id`, which would otherwise take "active" for a preset id. */
  @Get('active')
  @Requires('viewer')
  @ApiOperation({ summary: 'The applied presets', description: "The presets in the applied set, as the original's Go CLI reads them." })
  @ApiOkResponse({ type: ActivePresetsDto })
  active() {
    return { activePresets: this.presets.active() };
  }

  @Get(':id')
  @Requires('viewer')
  @ApiOperation({ summary: 'Show one preset', description: 'By id or alias.' })
  @ApiOkResponse({ type: PresetDto })
  @ApiErrors(404)
  get(@Param('id') id: string) {
    return this.presets.view(id);
  }

  /** Applies exactly this preset (or adds it with `add`); 428 with the plan when confirmation is needed. */
  @Post(':id/apply')
  @Requires('operator')
  @HttpCode(200)
  @ApiOperation({ summary: 'Apply a preset', description: 'The applied presets become exactly [id] and overrides clear; with add, it joins the applied set.' })
  @ApiOkResponse({ type: PresetChangeDto })
  @ApiErrors(400, 404, 409, 428)
  @ApiBody({ type: ApplyPresetDto, required: false })
  apply(@Param('id') id: string, @Body() body: ApplyPresetDto, @Actor() actor: string) {
    return this.control.applyPreset(id, { actor, ...body });
  }

  @Post(':id/remove')
  @Requires('operator')
  @HttpCode(200)
  @ApiOperation({ summary: 'Remove a preset from the applied set' })
  @ApiOkResponse({ type: PresetChangeDto })
  @ApiErrors(400, 404, 428)
  @ApiBody({ type: BulkOptionsDto, required: false })
  remove(@Param('id') id: string, @Body() body: BulkOptionsDto, @Actor() actor: string) {
    return this.control.removePreset(id, { actor, ...body });
  }

  /** With a selector (or states), saves it; without, saves the scenarios active now. */
  @Post()
  @Requires('admin')
  @ApiOperation({
    summary: 'Create a custom preset',
    description:
      'One of: `selector: {names, tags, exclude}` (the Preset manifest\'s shape); `names`/`tags`/`exclude` at the top level; ' +
      '`states: {id: bool}` (true ids selected, false ids excluded; `tags` may come with it); or nothing / `fromCurrentState: true` to save the scenarios active now.',
  })
  @ApiCreatedResponse({ type: CreatedPresetDto })
  @ApiErrors(400, 409)
  create(@Body() body: CreatePresetDto, @Actor() actor: string) {
    return this.presets.create(body, actor);
  }

  /** `{document}`, or the manifest itself as the body: YAML (application/yaml) or JSON. */
  @Post('import')
  @Requires('admin')
  @ApiOperation({
    summary: 'Import presets from YAML or JSON',
    description: 'The body is `{document, source?, overwrite?}`, or the Preset manifests themselves: YAML with `Content-Type: application/yaml` (or application/x-yaml, text/yaml), or JSON. With a raw body, `?overwrite=true&source=` carry the options.',
  })
  @ApiConsumes('application/json', ...YAML_MEDIA_TYPES)
  @ApiBody({ schema: { oneOf: [{ $ref: getSchemaPath(ImportPresetsDto) }, { type: 'string', description: 'Preset manifests as YAML text' }, { type: 'object', description: 'A Preset manifest as JSON' }] } })
  @ApiExtraModels(ImportPresetsDto)
  @ApiCreatedResponse({ type: ImportResultDto, description: 'The imported presets.' })
  @ApiErrors(400, 409)
  import(@Body() body: unknown, @Query() query: ImportPresetsQuery, @Actor() actor: string) {
    const { document, source, overwrite } = importRequest(body, query);
    return this.presets.import(document, source, overwrite, actor);
  }

  @Get(':id/export')
  @Requires('viewer')
  @ApiOperation({ summary: 'Export a preset as a YAML manifest' })
  @ApiProduces('application/yaml')
  @ApiOkResponse({ description: 'A Preset manifest.', schema: { type: 'string' } })
  @ApiErrors(404)
  @Header('content-type', 'application/yaml; charset=utf-8')
  export(@Param('id') id: string) {
    return this.presets.export(id);
  }

  @Delete(':id')
  @Requires('admin')
  @ApiOperation({ summary: 'Delete a custom preset', description: 'Defaults cannot be deleted.' })
  @ApiOkResponse({ description: 'Deleted.' })
  @ApiErrors(404, 409)
  delete(@Param('id') id: string, @Actor() actor: string) {
    return this.presets.delete(id, actor);
  }
}
