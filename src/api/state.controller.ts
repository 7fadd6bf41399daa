/** /api/v1 status, declared state, plan, apply, stop-all, resume and policy. */
import { Requires, adminForPolicyOrPresetManifests } from './roles';
import { SkipThrottle } from '@nestjs/throttler';
import { Body, Controller, Get, Header, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, BEARER_SCHEME, JSON_CONTENT_TYPE } from './openapi';
import { StatusDto, StopAllResultDto } from './dto/responses.dto';
import { ApplyResultDto, DesiredStateViewDto, HistoryDto, PolicyViewDto, ResumeResultDto } from './dto/state-views.dto';
import { API_VERSION, parseManifests } from '../presets/manifest';
import { maintenanceStateFromManifest } from '../presets/schema';
import { ControlService } from '../state/control.service';
import { ManifestApplier } from '../state/manifest-applier';
import { PolicyService } from '../state/policy.service';
import { StateService } from '../state/state.service';
import { HistoryService } from '../state/history.service';
import { Actor } from './auth';
import { ApplyManifestsDto, DesiredStateDto, PolicyDto, StopAllDto } from './dto/state.dto';
import { FleetPlanDto, PlanRequestDto } from './dto/explain.dto';
import { DomainError } from '../common/domain-error';
import { ExplainService } from '../explain/explain.service';

@ApiTags('state')
@ApiBearerAuth(BEARER_SCHEME)
@ApiErrors(401)
@Controller('api/v1')
export class StateController {
  constructor(
    private readonly control: ControlService,
    private readonly state: StateService,
    private readonly applier: ManifestApplier,
    private readonly policy: PolicyService,
    private readonly history: HistoryService,
    private readonly explainer: ExplainService,
  ) {}

  @Get('status')
  @Requires('viewer')
  @ApiOperation({ summary: 'Fleet status', description: 'Health, maintenance state, counts, recent activity and uptime.' })
  @ApiOkResponse({ type: StatusDto })
  @Header('Content-Type', JSON_CONTENT_TYPE)
  status(): string {
    return this.control.statusJson();
  }

  /** Samples of host load and fleet counts over the last hour (dashboard graphs). */
  @Get('history')
  @Requires('viewer')
  @ApiOperation({ summary: 'Host load and fleet counts over the last hour' })
  @ApiOkResponse({ type: HistoryDto })
  historySamples() {
    return { intervalSeconds: 10, samples: this.history.list() };
  }

  @Get('desired-state')
  @Requires('viewer')
  @ApiOperation({ summary: 'The declared state', description: 'Applied presets, overrides and the emergency stop latch.' })
  @ApiOkResponse({ type: DesiredStateViewDto })
  desiredState() {
    return this.state.view();
  }

  /** Replaces presets and overrides whole (a MaintenanceState spec); `dryRun` plans only. */
  @Put('desired-state')
  @Requires('operator')
  @ApiOperation({ summary: 'Replace the declared state', description: 'Presets and overrides whole, as a MaintenanceState spec; dryRun plans only.' })
  @ApiOkResponse({ description: '{success, dryRun, plan, desiredState}' })
  @ApiErrors(400, 409, 428)
  async setDesiredState(@Body() body: DesiredStateDto, @Actor() actor: string) {
    const plan = await this.state.setDesiredState(toStateSpec(body), { actor, confirm: body.confirm, dryRun: body.dryRun });
    return { success: true, dryRun: body.dryRun ?? false, plan, desiredState: this.state.view() };
  }

  /** What a declared state would do; with `at`, the fleet at that instant; with an empty body, what the loop is doing now. */
  @Post('plan')
  @Requires('viewer', { rateLimited: true })
  @HttpCode(200)
  @ApiOperation({ summary: 'Plan a declared state, or the fleet at an instant', description: 'What a declared state would do; with `at`, every scenario at that instant under today\'s declarations; with an empty body, what the loop is doing now.' })
  @ApiOkResponse({ type: FleetPlanDto })
  @ApiErrors(400)
  @ApiBody({ type: PlanRequestDto, required: false })
  plan(@Body() body: PlanRequestDto) {
    // null passes the DTO's @IsOptional as absent does, and means the same.
    if (body.at !== undefined && body.at !== null) {
      if (body.presets !== undefined || body.overrides !== undefined) throw new DomainError('Invalid', 'at plans today\'s declarations at an instant: leave out presets and overrides (or plan them without at)');
      return this.explainer.planAt(body.at, body.tz);
    }
    if (body.presets === undefined && body.overrides === undefined) return this.state.currentPlan();
    return this.state.planForSpec(toStateSpec(body));
  }

  /** `apply -f`: manifests of any kind, validated whole before anything changes. */
  @Post('apply')
  @Requires('operator', { escalate: adminForPolicyOrPresetManifests })
  @HttpCode(200)
  @ApiOperation({ summary: 'Apply manifests (apply -f)', description: 'Any kinds, validated whole before anything changes.' })
  @ApiOkResponse({ type: ApplyResultDto, description: 'What each manifest changed.' })
  @ApiErrors(400, 404, 409, 428)
  apply(@Body() body: ApplyManifestsDto, @Actor() actor: string) {
    return this.applier.apply(body.manifests, body.source ?? 'request body', { actor, dryRun: body.dryRun, confirm: body.confirm });
  }

  @Post('stop-all')
  @Requires('operator')
  @SkipThrottle() // an emergency stop and its lifting are never rate limited
  @HttpCode(200)
  @ApiOperation({ summary: 'Emergency stop', description: 'Clears overrides and applied presets, drives everything inactive and latches until resume. Never refused for want of a reason: without one, "no reason given" is recorded with the actor.' })
  @ApiOkResponse({ type: StopAllResultDto })
  @ApiBody({ type: StopAllDto, required: false })
  stopAll(@Body() body: StopAllDto, @Actor() actor: string) {
    return this.control.stopAll(body.reason, actor);
  }

  @Post('resume')
  @Requires('operator')
  @SkipThrottle() // an emergency stop and its lifting are never rate limited
  @HttpCode(200)
  @ApiOperation({ summary: 'Lift the emergency stop', description: 'Nothing comes back on its own except open allow windows.' })
  @ApiOkResponse({ type: ResumeResultDto })
  async resume(@Actor() actor: string) {
    return { success: true, emergencyStop: false, ...(await this.state.resume(actor)) };
  }

  @Get('policy')
  @Requires('viewer')
  @ApiOperation({ summary: 'The gate policy in force' })
  @ApiOkResponse({ type: PolicyViewDto })
  getPolicy() {
    return { policy: this.policy.current(), source: this.policy.origin() };
  }

  @Put('policy')
  @Requires('admin')
  @ApiOperation({ summary: 'Replace the gate policy' })
  @ApiOkResponse({ description: '{success, policy}' })
  @ApiErrors(400)
  async putPolicy(@Body() body: PolicyDto, @Actor() actor: string) {
    return { success: true, policy: await this.policy.replace(body.spec, actor) };
  }
}

/** Checks a body against the MaintenanceState schema, so the API and `apply -f` share one validation. */
function toStateSpec(body: DesiredStateDto) {
  const document = { apiVersion: API_VERSION, kind: 'MaintenanceState', metadata: { name: 'request' }, spec: { presets: body.presets ?? [], overrides: body.overrides ?? {} } };
  const [manifest] = parseManifests(JSON.stringify(document), 'request body');
  return maintenanceStateFromManifest(manifest);
}
