/** GET/DELETE /api/v1/notifiers, POST /api/v1/notifiers/{name}/test and GET /api/v1/health-checks (SPEC 11): thin edges over the notify and health modules. */
import { Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheckService } from '../health/health-check.service';
import { NotificationDispatcher } from '../notify/notification-dispatcher';
import { NotifierRegistry } from '../notify/notifier-registry';
import { Actor } from './auth';
import { Requires } from './roles';
import { DeletedNotifierDto, HealthCheckListDto, NotifierListDto, NotifierTestResultDto } from './dto/notify.dto';
import { ApiErrors, BEARER_SCHEME } from './openapi';

@ApiTags('notifications')
@ApiBearerAuth(BEARER_SCHEME)
@ApiErrors(401)
@Controller('api/v1')
export class NotifyController {
  constructor(
    @Inject(NotifierRegistry) private readonly notifiers: NotifierRegistry,
    @Inject(NotificationDispatcher) private readonly dispatcher: NotificationDispatcher,
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
  ) {}

  @Requires('viewer')
  @Get('notifiers')
  @ApiOperation({ summary: 'List notifiers', description: 'Every notifier (applied as kind Notifier), without secrets.' })
  @ApiOkResponse({ type: NotifierListDto })
  list(): NotifierListDto {
    return { notifiers: this.notifiers.views() };
  }

  @Requires('admin')
  @Delete('notifiers/:name')
  @ApiOperation({ summary: 'Delete a notifier' })
  @ApiOkResponse({ type: DeletedNotifierDto })
  @ApiErrors(404)
  async delete(@Param('name') name: string, @Actor() actor: string): Promise<DeletedNotifierDto> {
    await this.notifiers.delete(name, actor);
    return { success: true, name };
  }

  @Requires('operator')
  @Post('notifiers/:name/test')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a test notification', description: 'One delivery through the dispatcher (queue, allowed hosts, signature, activity log, metrics) without retries; answers how it ended. A failed delivery is still 200: the test ran, its result says what happened.' })
  @ApiOkResponse({ type: NotifierTestResultDto })
  @ApiErrors(404)
  async test(@Param('name') name: string, @Actor() actor: string): Promise<NotifierTestResultDto> {
    const notifier = this.notifiers.get(name);
    const outcome = await this.dispatcher.test(notifier, actor);
    return { notifier: notifier.name, type: notifier.type, event: notifier.type === 'alertmanager' ? 'MaintenanceNotifierTest' : 'notifier.test', delivered: outcome.result === 'success', ...outcome };
  }

  @Requires('viewer')
  @Get('health-checks')
  @ApiOperation({ summary: 'Health checks', description: "Each policy health check's last result and when it was read." })
  @ApiOkResponse({ type: HealthCheckListDto })
  checks(): HealthCheckListDto {
    return { checks: this.health.results().map((result) => ({ ...result, readAt: result.readAt === null ? null : new Date(result.readAt).toISOString() })) };
  }
}
