/**
 * Refuses writes once the application is stopping (503 JSON), so nothing is accepted that the loop would
 * no longer act on or the store no longer keep. Reads go on until the HTTP server closes.
 */
import { Injectable, ServiceUnavailableException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The switch ApiModule turns off in beforeApplicationShutdown. */
@Injectable()
export class WriteGate {
  private open = true;

  /** True until `close()`. */
  get isOpen(): boolean {
    return this.open;
  }

  /** Stops accepting writes; idempotent. */
  close(): void {
    this.open = false;
  }
}

/** A global guard over WriteGate. */
@Injectable()
export class AcceptingWritesGuard implements CanActivate {
  constructor(private readonly gate: WriteGate) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.gate.isOpen || READS.has(context.switchToHttp().getRequest<Request>().method)) return true;
    throw new ServiceUnavailableException('the orchestrator is shutting down and accepts no more changes');
  }
}
