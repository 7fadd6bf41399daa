/**
 * Rate limits per actor on mutating routes (SPEC 8: `RATE_LIMIT`, default 120/min; 429 JSON). `@Requires`
 * puts this guard on every route above viewer; `@SkipThrottle()` exempts stop-all and resume, which must
 * work however busy an actor has been. One budget per actor across all limited routes, not one per route.
 */
import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Request } from 'express';
import { actorOf, type WithActor } from './auth';
import { ACCESS_KEY, type AccessDecision } from './roles';

/** ThrottlerGuard keyed by the actor (the token's name, or `local[:name]` without tokens). */
@Injectable()
export class ActorThrottlerGuard extends ThrottlerGuard {
  /**
   * The actor, plus the registration id on registration routes: without tokens every scenario's heartbeat
   * is actor `local`, and a fleet of them must not share one budget.
   */
  protected override async getTracker(request: Record<string, unknown>, context?: ExecutionContext): Promise<string> {
    const actor = actorOf(request as unknown as WithActor);
    const decision = context ? this.reflector.get<AccessDecision | undefined>(ACCESS_KEY, context.getHandler()) : undefined;
    const owned = decision?.scenarioOwns?.(request as unknown as Request, ((request as { params?: Record<string, string> }).params ?? {}) as Record<string, string>);
    return owned === undefined ? actor : `${actor}/registration:${owned}`;
  }

  /** One key per actor for every limited route. */
  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `${name}:${tracker}`;
  }

  protected override async getErrorMessage(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<string> {
    return `rate limit: at most ${detail.limit} changes per ${Math.round(detail.ttl / 1000)} s per actor (RATE_LIMIT); retry in ${detail.timeToBlockExpire} s. stop-all and resume are never limited`;
  }
}
