/** /api/v1/presets: list, show, apply, remove, create, import, export, delete. */
import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post } from '@nestjs/common';
import { PresetService } from '../state/preset.service';
import { ControlService } from '../state/control.service';
import { Actor } from './auth.guard';
import { ApplyPresetDto, CreatePresetDto, ImportPresetsDto } from './dto/preset.dto';
import { BulkOptionsDto } from './dto/scenario.dto';

@Controller('api/v1/presets')
export class PresetsController {
  constructor(
    private readonly presets: PresetService,
    private readonly control: ControlService,
  ) {}

  @Get()
  list() {
    return { presets: this.presets.list() };
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.presets.view(id);
  }

  /** Applies exactly this preset (or adds it with `add`); 428 with the plan when confirmation is needed. */
  @Post(':id/apply')
  @HttpCode(200)
  apply(@Param('id') id: string, @Body() body: ApplyPresetDto, @Actor() actor: string) {
    return this.control.applyPreset(id, { actor, ...body });
  }

  @Post(':id/remove')
  @HttpCode(200)
  remove(@Param('id') id: string, @Body() body: BulkOptionsDto, @Actor() actor: string) {
    return this.control.removePreset(id, { actor, ...body });
  }

  /** With a selector, saves it; without, saves the scenarios active now. */
  @Post()
  create(@Body() body: CreatePresetDto, @Actor() actor: string) {
    return this.presets.create(body, actor);
  }

  @Post('import')
  import(@Body() body: ImportPresetsDto, @Actor() actor: string) {
    return this.presets.import(body.document, body.source ?? 'request body', body.overwrite ?? false, actor);
  }

  @Get(':id/export')
  @Header('content-type', 'application/yaml; charset=utf-8')
  export(@Param('id') id: string) {
    return this.presets.export(id);
  }

  @Delete(':id')
  delete(@Param('id') id: string, @Actor() actor: string) {
    return this.presets.delete(id, actor);
  }
}
