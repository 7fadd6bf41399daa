/** This replica's own writes of something replicas share (SPEC 9), as a ChangeFollower needs to know them. */

/**
 * Marks this replica's own writes. A read that overlapped one may hold the store before the write, or after
 * it but before this replica updated what it holds: either way it is no news, and it is read again after.
 */
export class OwnWrites {
  private started = 0;
  private ended = 0;
  private last: Promise<unknown> = Promise.resolve();

  /** Changes at the start and at the end of every write. */
  get stamp(): number {
    return this.started + this.ended;
  }

  /** Runs one write, store and local update together. */
  run<R>(write: () => Promise<R>): Promise<R> {
    this.started++;
    const done = write().finally(() => this.ended++);
    this.last = done.catch(() => undefined);
    return done;
  }

  /** Resolves once the latest write of this replica has ended (not waiting on later ones: a stream of writes must not starve a reader). */
  async settled(): Promise<void> {
    if (this.started !== this.ended) await this.last;
  }
}
