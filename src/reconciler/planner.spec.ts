import fc from 'fast-check';
import { DEFAULT_POLICY, type Policy } from '../presets/schema';
import { effectiveState, holdsSlot, plan, type PlanInput, type PlannableScenario } from './planner';
import { unknownRecord, type DesiredEntry, type ObservedRecord } from './types';

const NOW = Date.parse('2026-11-28T12:00:00Z');

function scenario(id: string, extra: Partial<PlannableScenario> = {}): PlannableScenario {
  return { id, weight: 'light', canDeactivate: true, conflictsWith: [], endpoint: `http://127.0.0.1/${id}`, endpointProblem: null, ...extra };
}
function observed(state: ObservedRecord['state'], extra: Partial<ObservedRecord> = {}): ObservedRecord {
  return { ...unknownRecord(), state, lastAck: state === 'active' || state === 'inactive' ? state : null, ...extra };
}
const want: DesiredEntry = { state: 'active', source: { kind: 'preset', preset: 'full' } };

function input(over: Partial<PlanInput> & { scenarios: PlannableScenario[] }): PlanInput {
  return {
    now: NOW,
    desired: new Map(),
    observed: new Map(),
    policy: DEFAULT_POLICY,
    emergencyStop: null,
    denyWindows: [],
    host: null,
    ...over,
  };
}

describe('plan', () => {
  const cases: { name: string; input: PlanInput; actions: string[]; reasons?: Record<string, string | null> }[] = [
    {
      name: 'drives an unknown scenario inactive (start-up)',
      input: input({ scenarios: [scenario('a')] }),
      actions: ['deactivate a'],
    },
    {
      name: 'leaves a converged inactive scenario alone',
      input: input({ scenarios: [scenario('a')], observed: new Map([['a', observed('inactive')]]) }),
      actions: [],
      reasons: { a: null },
    },
    {
      name: 'activates a wanted inactive scenario',
      input: input({ scenarios: [scenario('a')], desired: new Map([['a', want]]), observed: new Map([['a', observed('inactive')]]) }),
      actions: ['activate a'],
      reasons: { a: 'Progressing' },
    },
    {
      name: 'does nothing for a scenario without endpoint and says why',
      input: input({
        scenarios: [scenario('a', { endpoint: null, endpointProblem: { reason: 'NoEndpoint', message: 'only a port range' } })],
        desired: new Map([['a', want]]),
      }),
      actions: [],
      reasons: { a: 'NoEndpoint' },
    },
    {
      name: 'emergency stop blocks activation and deactivates active ones',
      input: input({
        scenarios: [scenario('a'), scenario('b')],
        desired: new Map([['a', want], ['b', want]]),
        observed: new Map([['a', observed('active')], ['b', observed('inactive')]]),
        emergencyStop: { reason: 'incident 42', actor: 'alice' },
      }),
      actions: ['deactivate a'],
      reasons: { a: 'EmergencyStop', b: 'EmergencyStop' },
    },
    {
      name: 'the already active one wins a conflict',
      input: input({
        scenarios: [scenario('a', { conflictsWith: ['b'] }), scenario('b')],
        desired: new Map([['a', want], ['b', want]]),
        observed: new Map([['a', observed('inactive')], ['b', observed('active')]]),
      }),
      actions: [],
      reasons: { a: 'Conflict', b: null },
    },
    {
      name: 'maxHeavy admits by id and waits for the holder to stop',
      input: input({
        scenarios: ['h1', 'h2', 'h3'].map((id) => scenario(id, { weight: 'heavy' })),
        desired: new Map([['h2', want], ['h3', want]]),
        observed: new Map([['h1', observed('active')], ['h2', observed('inactive')], ['h3', observed('inactive')]]),
        policy: { ...DEFAULT_POLICY, maxHeavy: 1 },
      }),
      actions: ['deactivate h1'],
      reasons: { h2: 'ConcurrencyLimit', h3: 'ConcurrencyLimit' },
    },
    {
      name: 'a deny window blocks activations but not deactivations',
      input: input({
        scenarios: [scenario('a'), scenario('b')],
        desired: new Map([['a', want]]),
        observed: new Map([['a', observed('inactive')], ['b', observed('active')]]),
        denyWindows: [{ schedule: 'freeze', closesAt: NOW + 3_600_000 }],
      }),
      actions: ['deactivate b'],
      reasons: { a: 'WindowClosed' },
    },
    {
      name: 'resource pressure blocks new activations and names the figures',
      input: input({
        scenarios: [scenario('a')],
        desired: new Map([['a', want]]),
        observed: new Map([['a', observed('inactive')]]),
        host: { cpuLoadPercent: 97, memoryPercent: 10 },
      }),
      actions: [],
      reasons: { a: 'ResourcePressure' },
    },
    {
      name: 'cooldown holds a recent activation',
      input: input({
        scenarios: [scenario('a')],
        desired: new Map([['a', want]]),
        observed: new Map([['a', observed('inactive', { lastActivatedAt: NOW - 10_000 })]]),
        policy: { ...DEFAULT_POLICY, cooldownSeconds: 60 },
      }),
      actions: [],
      reasons: { a: 'Cooldown' },
    },
    {
      name: 'a failed scenario in backoff waits and does not hold a slot',
      input: input({
        scenarios: [scenario('a', { weight: 'heavy' }), scenario('b', { weight: 'heavy' })],
        desired: new Map([['a', want], ['b', want]]),
        observed: new Map([
          ['a', observed('unreachable', { failures: 2, retryAt: NOW + 5_000, lastError: 'connect ECONNREFUSED' })],
          ['b', observed('inactive')],
        ]),
        policy: { ...DEFAULT_POLICY, maxHeavy: 1 },
      }),
      actions: ['activate b'],
      reasons: { a: 'Unreachable', b: 'Progressing' },
    },
    {
      name: 'an activation in flight is superseded when the target turns inactive',
      input: input({
        scenarios: [scenario('a')],
        observed: new Map([['a', observed('inactive', { inFlight: 'activate' })]]),
        emergencyStop: { reason: 'x', actor: 'local' },
      }),
      actions: ['deactivate a'],
    },
    {
      name: 'canDeactivate false is never deactivated and says so',
      input: input({ scenarios: [scenario('a', { canDeactivate: false })], observed: new Map([['a', observed('active')]]) }),
      actions: [],
      reasons: { a: 'CannotDeactivate' },
    },
    {
      name: 'deactivations come before activations',
      input: input({
        scenarios: [scenario('a'), scenario('z')],
        desired: new Map([['a', want]]),
        observed: new Map([['a', observed('inactive')], ['z', observed('active')]]),
      }),
      actions: ['deactivate z', 'activate a'],
    },
  ];

  it.each(cases)('$name', ({ input: planInput, actions, reasons }) => {
    const result = plan(planInput);
    expect(result.actions.map((action) => `${action.action} ${action.scenario}`)).toEqual(actions);
    for (const [id, reason] of Object.entries(reasons ?? {})) expect(result.verdicts.get(id)?.reason ?? null).toBe(reason);
  });

  it('names the conflicting scenario in the message', () => {
    const result = plan(cases[5].input);
    expect(result.verdicts.get('a')?.message).toContain('b');
  });

  it('keeps the verdict object of every scenario whose verdict did not change, and only those', () => {
    const scenarios = [scenario('a'), scenario('b'), scenario('c')];
    const desired = new Map([['a', want], ['b', want]]);
    const first = plan(input({ scenarios, desired, observed: new Map([['a', observed('inactive')], ['b', observed('active')], ['c', observed('inactive')]]) }));
    // a's activation was acknowledged; b and c are as they were.
    const observedNow = new Map([['a', observed('active')], ['b', observed('active')], ['c', observed('inactive')]]);
    const second = plan(input({ scenarios, desired, observed: observedNow, previous: first.verdicts }));
    expect(second.verdicts.get('a')).not.toBe(first.verdicts.get('a'));
    expect(second.verdicts.get('a')).toEqual({ desired: want, target: 'active', reason: null, message: null });
    expect(second.verdicts.get('b')).toBe(first.verdicts.get('b'));
    expect(second.verdicts.get('c')).toBe(first.verdicts.get('c'));
    // Same inputs again: nothing changes, so every verdict is the previous object.
    const third = plan(input({ scenarios, desired, observed: observedNow, previous: second.verdicts }));
    for (const id of ['a', 'b', 'c']) expect(third.verdicts.get(id)).toBe(second.verdicts.get(id));
    // A new gate is a new verdict, even with the same target.
    const stopped = plan(input({ scenarios, desired, observed: observedNow, previous: third.verdicts, emergencyStop: { reason: 'incident', actor: 'ops' } }));
    expect(stopped.verdicts.get('b')).toMatchObject({ target: 'inactive', reason: 'EmergencyStop', message: expect.stringContaining('incident') });
    expect(stopped.verdicts.get('c')).toBe(third.verdicts.get('c'));
  });

  it('plans the same with or without the previous verdicts', () => {
    const scenarios = [scenario('a'), scenario('b', { weight: 'heavy' }), scenario('c', { endpoint: null, endpointProblem: { reason: 'NoEndpoint', message: 'none' } })];
    const desired = new Map([['a', want], ['b', want], ['c', want]]);
    const base = input({ scenarios, desired, observed: new Map([['a', observed('unreachable', { failures: 2, retryAt: NOW + 5000, lastError: 'refused' })], ['b', observed('inactive')]]), policy: { ...DEFAULT_POLICY, maxHeavy: 0 } });
    const fresh = plan(base);
    const reused = plan({ ...base, previous: plan(base).verdicts });
    expect(reused).toEqual(fresh);
  });
});

describe('plan: rules each with its own test', () => {
  const activationsOf = (planInput: PlanInput) => plan(planInput).actions.filter((action) => action.action === 'activate').map((action) => action.scenario);

  it('maxHeavy counts heavy scenarios only: light ones pass it, and a light one running takes no heavy slot', () => {
    const policy = { ...DEFAULT_POLICY, maxHeavy: 1 };
    // One heavy runs: the heavy slot is full, yet light ones are admitted.
    const full = input({
      scenarios: [scenario('heavy-1', { weight: 'heavy' }), scenario('heavy-2', { weight: 'heavy' }), scenario('light-1'), scenario('light-2')],
      desired: new Map([['heavy-1', want], ['heavy-2', want], ['light-1', want], ['light-2', want]]),
      observed: new Map([['heavy-1', observed('active')], ['heavy-2', observed('inactive')], ['light-1', observed('inactive')], ['light-2', observed('inactive')]]),
      policy,
    });
    expect(activationsOf(full)).toEqual(['light-1', 'light-2']);
    expect(plan(full).verdicts.get('heavy-2')).toMatchObject({ reason: 'ConcurrencyLimit', message: expect.stringContaining('maxHeavy 1') });
    // Light ones run (and are admitted earlier in the pass): the one heavy slot is still free.
    const lightRunning = input({
      scenarios: [scenario('a-light'), scenario('b-light'), scenario('heavy-1', { weight: 'heavy' })],
      desired: new Map([['a-light', want], ['b-light', want], ['heavy-1', want]]),
      observed: new Map([['a-light', observed('active')], ['b-light', observed('inactive')], ['heavy-1', observed('inactive')]]),
      policy,
    });
    expect(activationsOf(lightRunning)).toEqual(['b-light', 'heavy-1']);
  });

  it('a deny window blocks only the scenarios its preset selects', () => {
    const planInput = input({
      scenarios: [scenario('backup'), scenario('scanner')],
      desired: new Map([['backup', want], ['scanner', want]]),
      observed: new Map([['backup', observed('inactive')], ['scanner', observed('inactive')]]),
      denyWindows: [{ schedule: 'freeze', closesAt: NOW + 3_600_000, appliesTo: new Set(['backup']) }],
    });
    expect(activationsOf(planInput)).toEqual(['scanner']);
    expect(plan(planInput).verdicts.get('backup')).toMatchObject({ reason: 'WindowClosed', message: expect.stringContaining('freeze') });
  });
});

describe('plan properties', () => {
  const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
  const arbObserved = fc.record({
    state: fc.constantFrom('active', 'inactive', 'unknown', 'unreachable') as fc.Arbitrary<ObservedRecord['state']>,
    lastAck: fc.constantFrom('active', 'inactive', null) as fc.Arbitrary<ObservedRecord['lastAck']>,
    inFlight: fc.constantFrom('activate', 'deactivate', null) as fc.Arbitrary<ObservedRecord['inFlight']>,
    retryAt: fc.constantFrom(null, NOW - 1, NOW + 10_000),
  });
  const arbWorld = fc.record({
    fleet: fc.array(fc.record({ heavy: fc.boolean(), rivals: fc.subarray(ids) }), { minLength: ids.length, maxLength: ids.length }),
    wanted: fc.subarray(ids),
    observed: fc.array(arbObserved, { minLength: ids.length, maxLength: ids.length }),
    maxActive: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
    maxHeavy: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
    stopped: fc.boolean(),
    groups: fc.array(fc.subarray(ids, { minLength: 2 }), { maxLength: 2 }),
  });

  /** Who may be running once this plan's actions and everything in flight have settled the way they head. */
  function settledRunning(planInput: PlanInput, actions: { scenario: string; action: string }[]): Set<string> {
    const running = new Set<string>();
    for (const id of ids) {
      const record = planInput.observed.get(id)!;
      const action = actions.find((candidate) => candidate.scenario === id)?.action ?? record.inFlight;
      if (action === 'activate') running.add(id);
      else if (action !== 'deactivate' && holdsSlot(record)) running.add(id);
    }
    return running;
  }

  it('never activates into a conflict, over a limit, or under emergency stop; never blocks a deactivation', () => {
    fc.assert(
      fc.property(arbWorld, (world) => {
        const scenarios = ids.map((id, index) => scenario(id, { weight: world.fleet[index].heavy ? 'heavy' : 'light', conflictsWith: world.fleet[index].rivals }));
        const byId = new Map(scenarios.map((s) => [s.id, s]));
        const policy: Policy = { ...DEFAULT_POLICY, maxActive: world.maxActive, maxHeavy: world.maxHeavy, conflicts: world.groups };
        const planInput = input({
          scenarios,
          policy,
          desired: new Map(world.wanted.map((id) => [id, want])),
          observed: new Map(ids.map((id, index) => [id, { ...unknownRecord(), ...world.observed[index] }])),
          emergencyStop: world.stopped ? { reason: 'test', actor: 'prop' } : null,
        });
        const result = plan(planInput);
        const activations = result.actions.filter((action) => action.action === 'activate').map((action) => action.scenario);
        if (world.stopped) expect(activations).toEqual([]);
        const running = settledRunning(planInput, result.actions);
        const rivalsOf = (id: string) => new Set([...byId.get(id)!.conflictsWith, ...world.groups.filter((g) => g.includes(id)).flat()].filter((r) => r !== id));
        // No activation lands next to a rival that may be running.
        for (const id of activations) for (const rival of rivalsOf(id)) expect(running.has(rival) ? `${id} next to ${rival}` : 'ok').toBe('ok');
        // A newcomer (one that held no slot) is only admitted within the limits.
        const newcomers = activations.filter((id) => !holdsSlot(planInput.observed.get(id)!));
        if (newcomers.length > 0 && world.maxActive !== null) expect(running.size).toBeLessThanOrEqual(world.maxActive);
        if (newcomers.some((id) => byId.get(id)!.weight === 'heavy') && policy.maxHeavy !== null) {
          expect([...running].filter((id) => byId.get(id)!.weight === 'heavy').length).toBeLessThanOrEqual(policy.maxHeavy);
        }
        // Deactivation is never blocked: an unwanted scenario that may be active gets one unless it is backing off or already stopping.
        for (const id of ids) {
          const record = planInput.observed.get(id)!;
          const wanted = world.wanted.includes(id) && !world.stopped;
          const backingOff = record.retryAt !== null && record.retryAt > NOW;
          if (!wanted && !backingOff && record.inFlight !== 'deactivate' && (effectiveState(record) !== 'inactive' || record.inFlight === 'activate')) {
            expect(result.actions).toContainEqual(expect.objectContaining({ scenario: id, action: 'deactivate' }));
          }
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('never leaves two conflicting scenarios admitted as active together', () => {
    fc.assert(
      fc.property(arbWorld, (world) => {
        const scenarios = ids.map((id, index) => scenario(id, { weight: world.fleet[index].heavy ? 'heavy' : 'light', conflictsWith: world.fleet[index].rivals }));
        const policy: Policy = { ...DEFAULT_POLICY, maxActive: world.maxActive, maxHeavy: world.maxHeavy, conflicts: world.groups };
        const result = plan(input({
          scenarios,
          policy,
          desired: new Map(world.wanted.map((id) => [id, want])),
          observed: new Map(ids.map((id, index) => [id, { ...unknownRecord(), ...world.observed[index] }])),
        }));
        // Scenarios backing off after a failure keep their target but hold no slot until they retry.
        const targetActive = ids.filter((id, index) => result.verdicts.get(id)!.target === 'active' && !(world.observed[index].retryAt === NOW + 10_000 && !holdsSlot({ ...unknownRecord(), ...world.observed[index] })));
        for (const a of targetActive) for (const b of targetActive) {
          const rivals = scenarios.find((s) => s.id === a)!.conflictsWith.includes(b) || world.groups.some((g) => g.includes(a) && g.includes(b));
          if (a !== b) expect(rivals ? `${a}+${b}` : 'ok').toBe('ok');
        }
        if (world.maxActive !== null) expect(targetActive.length).toBeLessThanOrEqual(world.maxActive);
        const heavy = targetActive.filter((id) => scenarios.find((s) => s.id === id)!.weight === 'heavy');
        if (policy.maxHeavy !== null) expect(heavy.length).toBeLessThanOrEqual(policy.maxHeavy);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('plan: the probe explain reads', () => {
  const deny = [{ schedule: 'business-hours', closesAt: NOW + 3_600_000, appliesTo: null }];
  const gatesOf = (result: ReturnType<typeof plan>) => result.probe?.map((entry) => [entry.gate, entry.block?.reason ?? 'pass', entry.applied]);

  it('reports every gate in SPEC order for a new activation, past the first that blocks', () => {
    const result = plan(input({
      scenarios: [scenario('a'), scenario('b')],
      desired: new Map([['a', want], ['b', want]]),
      observed: new Map([['a', observed('active')], ['b', observed('inactive', { lastActivatedAt: NOW - 10_000 })]]),
      policy: { ...DEFAULT_POLICY, maxActive: 1, cooldownSeconds: 60 },
      denyWindows: deny,
      probe: 'b',
    }));
    expect(gatesOf(result)).toEqual([
      ['EmergencyStop', 'pass', true],
      ['WindowClosed', 'WindowClosed', true],
      ['Conflict', 'pass', true],
      ['ConcurrencyLimit', 'ConcurrencyLimit', true],
      ['ResourcePressure', 'pass', true],
      ['HealthCheck', 'pass', true],
      ['FailureBudget', 'pass', true],
      ['Cooldown', 'Cooldown', true],
    ]);
    // The verdict is the first that blocks, as without a probe.
    expect(result.verdicts.get('b')).toMatchObject({ target: 'inactive', reason: 'WindowClosed' });
  });

  it('holds a scenario already active to gates 1, 3 and 4 only: the others say what they would, not applied', () => {
    const result = plan(input({ scenarios: [scenario('a')], desired: new Map([['a', want]]), observed: new Map([['a', observed('active')]]), denyWindows: deny, probe: 'a' }));
    expect(gatesOf(result)).toEqual([
      ['EmergencyStop', 'pass', true],
      ['WindowClosed', 'WindowClosed', false],
      ['Conflict', 'pass', true],
      ['ConcurrencyLimit', 'pass', true],
      ['ResourcePressure', 'pass', false],
      ['HealthCheck', 'pass', false],
      ['FailureBudget', 'pass', false],
      ['Cooldown', 'pass', false],
    ]);
    expect(result.verdicts.get('a')).toMatchObject({ target: 'active', reason: null });
  });

  it('asks a scenario desired inactive after everyone admitted, applying nothing', () => {
    const result = plan(input({
      scenarios: [scenario('a'), scenario('z')],
      desired: new Map([['a', want]]),
      observed: new Map([['a', observed('inactive')], ['z', observed('inactive')]]),
      policy: { ...DEFAULT_POLICY, maxActive: 1 },
      probe: 'z',
    }));
    expect(gatesOf(result)?.find(([gate]) => gate === 'ConcurrencyLimit')).toEqual(['ConcurrencyLimit', 'ConcurrencyLimit', false]);
    expect(result.probe?.every((entry) => !entry.applied)).toBe(true);
  });

  it('plans the same actions and verdicts with or without a probe', () => {
    const base = input({ scenarios: [scenario('a'), scenario('b')], desired: new Map([['a', want], ['b', want]]), observed: new Map([['a', observed('inactive')], ['b', observed('inactive')]]), policy: { ...DEFAULT_POLICY, maxActive: 1 }, denyWindows: [] });
    const without = plan(base);
    const probed = plan({ ...base, probe: 'b' });
    expect(probed.actions).toEqual(without.actions);
    expect([...probed.verdicts]).toEqual([...without.verdicts]);
    expect(without.probe).toBeUndefined();
  });
});
