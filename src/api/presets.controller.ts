/** /api/v1/presets: list, show, apply, remove, create, import, export, delete. */
import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, BEARER_SCHEME } from './openapi';
import { PresetChangeDto, PresetDto, PresetListDto } from './dto/responses.dto';
import { PresetService } from '../state/preset.service';
import { ControlService } from '../state/control.service';
import { Actor } from './auth';
import { ApplyPresetDto, CreatePresetDto, ImportPresetsDto } from './dto/preset.dto';
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
  @ApiOperation({ summary: 'List presets' })
  @ApiOkResponse({ type: PresetListDto })
  list() {
    return { presets: this.presets.list() };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Show one preset', description: 'By id or alias.' })
  @ApiOkResponse({ type: PresetDto })
  @ApiErrors(404)
  get(@Param('id') id: string) {
    return this.presets.view(id);
  }

  /** Applies exactly this preset (or adds it with `add`); 428 with the plan when confirmation is needed. */
  @Post(':id/apply')
  @HttpCode(200)
  @ApiOperation({ summary: 'Apply a preset', description: 'The applied presets become exactly [id] and overrides clear; with add, it joins the applied set.' })
  @ApiOkResponse({ type: PresetChangeDto })
  @ApiErrors(400, 404, 409, 428)
  @ApiBody({ type: ApplyPresetDto, required: false })
  apply(@Param('id') id: string, @Body() body: ApplyPresetDto, @Actor() actor: string) {
    return this.control.applyPreset(id, { actor, ...body });
  }

  @Post(':id/remove')
  @HttpCode(200)
  @ApiOperation({ summary: 'Remove a preset from the applied set' })
  @ApiOkResponse({ type: PresetChangeDto })
  @ApiErrors(400, 404, 428)
  @ApiBody({ type: BulkOptionsDto, required: false })
  remove(@Param('id') id: string, @Body() body: BulkOptionsDto, @Actor() actor: string) {
    return this.control.removePreset(id, { actor, ...body });
  }

  /** With a selector, saves it; without, saves the scenarios active now. */
  @Post()
  @ApiOperation({ summary: 'Create a custom preset', description: 'With names, tags or exclude it saves a selector; without, the scenarios active now.' })
  @ApiCreatedResponse({ type: PresetDto })
  @ApiErrors(400, 409)
  create(@Body() body: CreatePresetDto, @Actor() actor: string) {
    return this.presets.create(body, actor);
  }

  @Post('import')
  @ApiOperation({ summary: 'Import presets from YAML or JSON' })
  @ApiCreatedResponse({ description: 'The imported presets.' })
  @ApiErrors(400, 409)
  import(@Body() body: ImportPresetsDto, @Actor() actor: string) {
    return this.presets.import(body.document, body.source ?? 'request body', body.overwrite ?? false, actor);
  }

  @Get(':id/export')
  @ApiOperation({ summary: 'Export a preset as a YAML manifest' })
  @ApiProduces('application/yaml')
  @ApiOkResponse({ description: 'A Preset manifest.', schema: { type: 'string' } })
  @ApiErrors(404)
  @Header('content-type', 'application/yaml; charset=utf-8')
  export(@Param('id') id: string) {
    return this.presets.export(id);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a custom preset', description: 'Defaults cannot be deleted.' })
  @ApiOkResponse({ description: 'Deleted.' })
  @ApiErrors(404, 409)
  delete(@Param('id') id: string, @Actor() actor: string) {
    return this.presets.delete(id, actor);
  }
}
