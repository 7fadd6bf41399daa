/** /api/v1/activity (the stored log, filtered and paged) and /api/v1/events (Server-Sent Events, live). */
import { Requires } from './roles';
import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import type { Config } from '../config/config';
import { CONFIG } from './tokens';
import { refuse } from './request-guards';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, BEARER_SCHEME } from './openapi';
import { ActivityPageDto } from './dto/responses.dto';
import type { Response } from 'express';
import { ActivityService } from '../activity/activity.service';
import type { ActivityEntry } from '../activity/activity';
import { InventoryMirror } from '../inventory/inventory-mirror';
import { Reconciler } from '../reconciler/reconciler';
import { ActivityQueryDto, EventsQueryDto } from './dto/activity.dto';
import { parseDuration } from '../config/duration';
import { DomainError } from '../common/domain-error';
import { ActivityFanout, type FanoutClient } from './activity-fanout';

/** State-change events are coalesced to at most one per this interval: enough for a live screen, no storm. */
const STATE_EVENT_INTERVAL_MS = 200;
const HEARTBEAT_MS = 15_000;
/** How long activity entries gather before they go out to the open streams: live, and one write per burst. */
export const EVENT_FLUSH_MS = 100;
/** A client that lets this much unsent data pile up is not reading; it is dropped (SPEC 8). */
export const MAX_UNSENT_BYTES = 1024 * 1024;

@ApiTags('activity')
@ApiBearerAuth(BEARER_SCHEME)
@ApiErrors(401)
@Controller('api/v1')
export class ActivityController {
  constructor(
    private readonly activity: ActivityService,
    private readonly reconciler: Reconciler,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(InventoryMirror) private readonly mirror: InventoryMirror | null,
  ) {}

  /** Streams open now, against MAX_EVENT_CLIENTS. */
  private clients = 0;
  /** Entries to the open streams, batched (activity-fanout.ts); its one listener is on while a stream is open. */
  private readonly fanout = new ActivityFanout(EVENT_FLUSH_MS, activityEvent, STATE_EVENT_INTERVAL_MS);
  private readonly onEntry = (entry: ActivityEntry) => this.fanout.push(entry);
  private readonly onChange = () => this.fanout.stateChanged();

  /** Newest first; `before` pages back by id. */
  @Get('activity')
  @Requires('viewer')
  @ApiOperation({ summary: 'The activity log', description: 'Newest first; filter by category, scenario and since; page back with before.' })
  @ApiOkResponse({ type: ActivityPageDto })
  @ApiErrors(400)
  async list(@Query() query: ActivityQueryDto) {
    const limit = query.limit ?? 100;
    const since = query.since ? toSince(query.since) : undefined;
    const entries = await this.activity.query({ category: query.category, scenario: query.scenario, since, beforeId: query.before, limit });
    return { entries, nextBefore: entries.length === limit ? entries[entries.length - 1].id : null };
  }

  /** `event: activity` per new entry (filtered like /activity) and `event: state` when scenarios change. */
  @Get('events')
  @Requires('viewer')
  @ApiOperation({ summary: 'Live events (Server-Sent Events)', description: '`event: activity` per new entry and `event: state` when scenarios change.' })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'An event stream.', schema: { type: 'string' } })
  events(@Query() query: EventsQueryDto, @Res() response: Response): void {
    if (this.clients >= this.config.maxEventClients) {
      return refuse(response, 503, `too many live event clients (MAX_EVENT_CLIENTS ${this.config.maxEventClients}); retry later`);
    }
    this.clients++;
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    response.write(': connected\n\n');
    const write = (text: string) => {
      if (response.destroyed) return;
      response.write(text);
      // Backpressure: a client that does not read would grow our memory without bound.
      if (response.writableLength > MAX_UNSENT_BYTES) response.destroy();
    };
    const client: FanoutClient = { category: query.category, scenario: query.scenario, wantsState: !query.activityOnly, write };
    if (this.fanout.size === 0) this.listen(true);
    this.fanout.add(client);
    const heartbeat = setInterval(() => write(': keep-alive\n\n'), HEARTBEAT_MS);
    response.on('close', () => {
      this.clients--;
      clearInterval(heartbeat);
      this.fanout.remove(client);
      if (this.fanout.size === 0) this.listen(false);
    });
  }

  /**
   * One listener each on the activity log and the loop while any stream is open, none otherwise; in HA also
   * on the inventory mirror, which changes what a follower shows.
   */
  private listen(on: boolean): void {
    const method = on ? 'on' : 'off';
    this.activity[method]('entry', this.onEntry);
    this.reconciler[method]('pass', this.onChange);
    this.reconciler[method]('outcome', this.onChange);
    this.mirror?.[method]('changed', this.onChange);
  }
}

/** `since` as an ISO time or a duration back from now (`1h`). */
function toSince(value: string): string {
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const at = new Date(value);
    if (Number.isNaN(at.getTime())) throw new DomainError('Invalid', `since "${value}" is not a valid time`);
    return at.toISOString();
  }
  try {
    return new Date(Date.now() - parseDuration(value)).toISOString();
  } catch (error) {
    throw new DomainError('Invalid', `since: ${(error as Error).message}`);
  }
}

/** Each entry's event text, made once however many clients it goes to. */
const EVENT_TEXT = new WeakMap<ActivityEntry, string>();

function activityEvent(entry: ActivityEntry): string {
  let text = EVENT_TEXT.get(entry);
  if (text === undefined) {
    text = `event: activity\ndata: ${JSON.stringify(entry)}\n\n`;
    EVENT_TEXT.set(entry, text);
  }
  return text;
}
