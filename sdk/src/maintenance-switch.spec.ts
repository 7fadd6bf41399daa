import type { Clock } from './clock';
import { MaintenanceSwitch, type MaintenanceSwitchOptions, type StateChange, type StateReply } from './maintenance-switch';

/** A clock moved by hand: timers fire only from `advance`, so lease maths is checked without waiting. */
class ManualClock implements Clock {
  private time = Date.parse('2026-01-01T00:00:00Z');
  private timers = new Map<number, { at: number; callback: () => void }>();
  private nextId = 1;

  now(): number {
    return this.time;
  }

  setTimer(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + ms, callback });
    return id;
  }

  clearTimer(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Moves time on, firing due timers in order, and lets the switch's promise chain settle. */
  async advance(ms: number): Promise<void> {
    this.time += ms;
    for (const [id, timer] of [...this.timers].sort((a, b) => a[1].at - b[1].at)) {
      if (timer.at > this.time) continue;
      this.timers.delete(id);
      timer.callback();
    }
    for (let i = 0; i < 10; i += 1) await Promise.resolve();
  }
}

function post(body: unknown, headers: Record<string, string> = {}): { method: string; headers: Record<string, string>; body: string } {
  return { method: 'POST', headers, body: JSON.stringify(body) };
}

const GET = { method: 'GET', headers: {}, body: '' };

function setup(options: MaintenanceSwitchOptions = {}): { clock: ManualClock; maintenance: MaintenanceSwitch; events: string[] } {
  const clock = new ManualClock();
  const events: string[] = [];
  const maintenance = new MaintenanceSwitch({
    clock,
    onActivate: (change: StateChange) => void events.push(`activate:${change.cause}`),
    onDeactivate: (change: StateChange) => void events.push(`deactivate:${change.cause}`),
    onExpire: () => void events.push('expire'),
    ...options,
  });
  return { clock, maintenance, events };
}

describe('MaintenanceSwitch: leases', () => {
  it('goes inactive on its own when the lease runs out, calling onExpire then onDeactivate', async () => {
    const { clock, maintenance, events } = setup();
    const reply = await maintenance.handle(post({ maintenanceState: 'active', leaseSeconds: 10 }));
    expect(reply.body).toMatchObject({ success: true, maintenanceState: 'active', leaseExpiresAt: new Date(clock.now() + 10_000).toISOString() });
    await clock.advance(9_999);
    expect(maintenance.state).toBe('active');
    await clock.advance(1);
    expect(maintenance.state).toBe('inactive');
    expect(maintenance.leaseExpiresAt).toBeNull();
    expect(events).toEqual(['activate:request', 'expire', 'deactivate:lease-expired']);
    expect((await maintenance.handle(GET)).body).toEqual({ maintenanceState: 'inactive', state: 'inactive' });
  });

  it('extends the lease at each renewal without running onActivate again', async () => {
    const { clock, maintenance, events } = setup();
    await maintenance.handle(post({ state: 'active', leaseSeconds: 10 }));
    for (let i = 0; i < 3; i += 1) {
      await clock.advance(6_000);
      await maintenance.handle(post({ state: 'active', leaseSeconds: 10 }));
    }
    await clock.advance(9_000);
    expect(maintenance.state).toBe('active');
    expect((await maintenance.handle(GET)).body).toMatchObject({ leaseExpiresAt: new Date(clock.now() + 1_000).toISOString() });
    await clock.advance(1_000);
    expect(maintenance.state).toBe('inactive');
    expect(events).toEqual(['activate:request', 'expire', 'deactivate:lease-expired']);
  });

  it.each([['absent', {}], ['zero', { leaseSeconds: 0 }], ['null', { leaseSeconds: null }]])('keeps an activation with the lease %s forever', async (_label, lease) => {
    const { clock, maintenance, events } = setup();
    await maintenance.handle(post({ state: 'active', ...lease }));
    await clock.advance(365 * 24 * 3600 * 1000);
    expect(maintenance.state).toBe('active');
    expect((await maintenance.handle(GET)).body).not.toHaveProperty('leaseExpiresAt');
    expect(events).toEqual(['activate:request']);
  });

  it('drops a running lease when a renewal comes without one, and when deactivated', async () => {
    const { clock, maintenance } = setup();
    await maintenance.handle(post({ state: 'active', leaseSeconds: 5 }));
    await maintenance.handle(post({ state: 'active' }));
    await clock.advance(60_000);
    expect(maintenance.state).toBe('active');
    await maintenance.handle(post({ state: 'active', leaseSeconds: 5 }));
    await maintenance.handle(post({ state: 'inactive' }));
    expect(maintenance.leaseExpiresAt).toBeNull();
  });

  it('reports an overdue lease as ended even before its timer fires', async () => {
    const clock = new ManualClock();
    // A clock whose timers never fire: only the lazy check on GET can end the lease.
    const deaf: Clock = { now: () => clock.now(), setTimer: () => 0, clearTimer: () => undefined };
    const maintenance = new MaintenanceSwitch({ clock: deaf });
    await maintenance.handle(post({ state: 'active', leaseSeconds: 1 }));
    await clock.advance(1_000);
    expect((await maintenance.handle(GET)).body).toMatchObject({ maintenanceState: 'inactive' });
  });

  it('keeps the state inactive after expiry even when the hooks throw, and reports the errors', async () => {
    const errors: string[] = [];
    const { clock, maintenance } = setup({
      onExpire: () => { throw new Error('expire hook'); },
      onDeactivate: () => { throw new Error('deactivate hook'); },
      onError: (error, during) => void errors.push(`${during}: ${(error as Error).message}`),
    });
    await maintenance.handle(post({ state: 'active', leaseSeconds: 1 }));
    await clock.advance(1_000);
    expect(maintenance.state).toBe('inactive');
    expect(errors).toEqual(['onExpire: expire hook', 'onDeactivate: deactivate hook']);
  });
});

describe('MaintenanceSwitch: epoch fencing', () => {
  it('refuses an older epoch with 409 and changes nothing; equal and newer epochs pass', async () => {
    const { maintenance } = setup();
    expect((await maintenance.handle(post({ state: 'active' }, { 'x-maintenance-epoch': '5', 'x-maintenance-leader': 'replica-b' }))).status).toBe(200);
    const stale = await maintenance.handle(post({ state: 'inactive' }, { 'x-maintenance-epoch': '4', 'x-maintenance-leader': 'replica-a' }));
    expect(stale).toEqual({ status: 409, body: expect.objectContaining({ success: false, error: 'StaleEpoch', epoch: 4, newestEpoch: 5, leader: 'replica-b' }) });
    expect(maintenance.state).toBe('active');
    expect((await maintenance.handle({ ...GET, headers: { 'x-maintenance-epoch': '3' } })).status).toBe(409);
    expect((await maintenance.handle(post({ state: 'inactive' }, { 'x-maintenance-epoch': '5' }))).status).toBe(200);
    expect((await maintenance.handle(post({ state: 'active' }, { 'x-maintenance-epoch': '6', 'x-maintenance-leader': 'replica-c' }))).status).toBe(200);
    expect(maintenance.fence).toEqual({ epoch: 6, leader: 'replica-c' });
  });

  it('accepts calls without an epoch, and a newer epoch seen on a GET fences older POSTs', async () => {
    const { maintenance } = setup();
    expect((await maintenance.handle(post({ state: 'active' }))).status).toBe(200);
    await maintenance.handle({ ...GET, headers: { 'x-maintenance-epoch': '9' } });
    expect((await maintenance.handle(post({ state: 'inactive' }, { 'x-maintenance-epoch': '8' }))).status).toBe(409);
    expect((await maintenance.handle(post({ state: 'inactive' }))).status).toBe(200);
  });

  it('answers 400 to a malformed epoch and records nothing from it', async () => {
    const { maintenance } = setup();
    for (const epoch of ['-1', 'seven', '1.5', '']) {
      expect((await maintenance.handle(post({ state: 'active' }, { 'x-maintenance-epoch': epoch }))).status).toBe(400);
    }
    expect(maintenance.state).toBe('inactive');
    expect(maintenance.fence).toEqual({ epoch: null, leader: null });
  });

  it('does not record the epoch of a call with a bad body', async () => {
    const { maintenance } = setup();
    expect((await maintenance.handle({ method: 'POST', headers: { 'x-maintenance-epoch': '7' }, body: '{"state":"on"}' })).status).toBe(400);
    expect(maintenance.fence.epoch).toBeNull();
  });
});

describe('MaintenanceSwitch: hooks and bad input', () => {
  it('refuses an activation whose hook throws (500) and stays inactive', async () => {
    const { maintenance } = setup({ onActivate: () => Promise.reject(new Error('disk full')) });
    const reply: StateReply = await maintenance.handle(post({ state: 'active', leaseSeconds: 5 }));
    expect(reply).toEqual({ status: 500, body: expect.objectContaining({ success: false, message: 'disk full' }) });
    expect(maintenance.state).toBe('inactive');
    expect(maintenance.leaseExpiresAt).toBeNull();
  });

  it('runs beforeApply for every valid POST, no-ops included, and a throw refuses it', async () => {
    let refuse = false;
    const seen: string[] = [];
    const { maintenance } = setup({ beforeApply: (request) => { seen.push(request.state); if (refuse) throw new Error('not now'); } });
    await maintenance.handle(post({ state: 'inactive' }));
    refuse = true;
    expect((await maintenance.handle(post({ state: 'active' }))).status).toBe(500);
    expect(maintenance.state).toBe('inactive');
    expect(seen).toEqual(['inactive', 'active']);
  });

  it('runs hooks one change at a time', async () => {
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { maintenance } = setup({
      onActivate: async () => { order.push('activate:start'); await gate; order.push('activate:end'); },
      onDeactivate: () => void order.push('deactivate'),
    });
    const first = maintenance.handle(post({ state: 'active' }));
    const second = maintenance.handle(post({ state: 'inactive' }));
    release();
    expect((await second).body).toMatchObject({ previousState: 'active', maintenanceState: 'inactive' });
    expect((await first).body).toMatchObject({ previousState: 'inactive', maintenanceState: 'active' });
    expect(order).toEqual(['activate:start', 'activate:end', 'deactivate']);
  });

  it.each([
    ['a method other than GET or POST', { method: 'PUT', headers: {}, body: '' }, 405],
    ['a body too large', { method: 'POST', headers: {}, body: null }, 413],
    ['a lease below zero', post({ state: 'active', leaseSeconds: -1 }), 400],
    ['a lease that is not a number', post({ state: 'active', leaseSeconds: '30' }), 400],
    ['a lease beyond a week', post({ state: 'active', leaseSeconds: 8 * 24 * 3600 }), 400],
  ])('answers %s with its status and changes nothing', async (_label, call, status) => {
    const { maintenance, events } = setup();
    expect((await maintenance.handle(call)).status).toBe(status);
    expect(maintenance.state).toBe('inactive');
    expect(events).toEqual([]);
  });

  it('records a change the scenario made itself through set(): no hooks, and the lease ends', async () => {
    const { clock, maintenance, events } = setup();
    await maintenance.handle(post({ state: 'active', leaseSeconds: 5 }));
    maintenance.set('inactive');
    expect((await maintenance.handle(GET)).body).toEqual({ maintenanceState: 'inactive', state: 'inactive' });
    maintenance.set('active');
    await clock.advance(10_000);
    expect(maintenance.state).toBe('active');
    expect(events).toEqual(['activate:request']);
    expect(() => maintenance.set('on' as never)).toThrow(RangeError);
  });
});
