/**
 * The planner: a pure function from desired state, observed state, policy and the clock to the actions to
 * take and a verdict for every scenario. It never performs I/O; the executor acts on its output.
 *
 * Order (documented, stable): scenarios that already hold a slot (active or activating) keep it before
 * any new one is admitted ("the one already active wins"); within each group, scenarios go by id.
 */
import type { Policy } from '../presets/schema';
import { describeSource, INACTIVE_BY_DEFAULT, sameDesired } from './desired';
import {
  concurrencyGate,
  conflictGate,
  conflictMap,
  cooldownGate,
  emergencyStopGate,
  failureBudgetGate,
  healthCheckGate,
  resourceGate,
  windowGate,
  type ChangeProgress,
  type GateBlock,
  type HealthReading,
  type HostLoad,
  type Occupancy,
  type OpenDenyWindow,
} from './gates';
import { unknownRecord, type DesiredEntry, type Gate, type ObservedRecord, type PlannedAction, type Reason, type ScenarioVerdict, type TargetState } from './types';

/** What the planner needs to know of a scenario. */
export interface PlannableScenario {
  id: string;
  weight: 'light' | 'heavy';
  canDeactivate: boolean;
  conflictsWith: readonly string[];
  /** Null when it has no usable endpoint; `problem` says why. */
  endpoint: string | null;
  endpointProblem: { reason: 'NoEndpoint' | 'HostNotAllowed'; message: string } | null;
}

/** Everything one pass looks at. */
export interface PlanInput {
  now: number;
  /** Sorted by id (the registry keeps them so); sorted here otherwise. */
  scenarios: readonly PlannableScenario[];
  /** Ids that vanished from discovery: driven inactive, then forgotten. */
  gone?: ReadonlySet<string>;
  desired: ReadonlyMap<string, DesiredEntry>;
  observed: ReadonlyMap<string, ObservedRecord>;
  policy: Policy;
  emergencyStop: { reason: string; actor: string } | null;
  denyWindows: readonly OpenDenyWindow[];
  host: HostLoad | null;
  /** The last reading of each configured health check; absent or empty when none is configured. */
  health?: readonly HealthReading[] | null;
  /** The change in progress and its failed activations, for the FailureBudget gate; absent when none. */
  failureBudget?: ChangeProgress | null;
  /**
   * The verdicts of the previous pass. A scenario whose verdict did not change keeps the same object, so
   * that a pass over 10,000 scenarios allocates only for what changed and readers can tell "unchanged" by
   * identity (the read models cache on it).
   */
  previous?: ReadonlyMap<string, ScenarioVerdict>;
  /**
   * A scenario whose every gate the pass reports (explain), each asked at the moment the pass decides that
   * scenario, so the report is what the loop saw and not a second reading of the rules.
   */
  probe?: string;
  /**
   * Plan only this scenario's action and verdict (explain): the gates still run over the fleet, since who
   * holds a slot decides Conflict and ConcurrencyLimit, but 10,000 verdicts are not built for one answer.
   */
  only?: string;
}

/** The outcome of one pass. */
export interface Plan {
  actions: PlannedAction[];
  verdicts: Map<string, ScenarioVerdict>;
  /** With `probe`: every gate the planner checks, in SPEC order, as it answered for that scenario. */
  probe?: GateReport[];
}

/** One gate's answer for the probed scenario. */
export interface GateReport {
  gate: Gate;
  /** Null when it passes. */
  block: GateBlock | null;
  /**
   * Whether this pass applies the gate to the scenario: false for gates 2 and 5-8 on a scenario that
   * already holds a slot (they block new activations only), and for every gate of a scenario not desired
   * active (deactivation is never blocked); those gates are still asked, so explain can say what they would say.
   */
  applied: boolean;
}

/** Decisions and explanations most scenarios share, allocated once rather than per scenario per pass. */
const ADMITTED: Decision = { target: 'active', block: null };
const UNDECIDED: Decision = { target: 'inactive', block: null };
const NO_REASON: Explanation = { reason: null, message: null };
const ACTIVATING: Explanation = { reason: 'Progressing', message: 'activating' };
const DEACTIVATING: Explanation = { reason: 'Progressing', message: 'deactivating' };
const GONE: Explanation = { reason: 'Gone', message: 'no longer discovered; being driven inactive before it leaves the list' };
const CANNOT_DEACTIVATE: Explanation = { reason: 'CannotDeactivate', message: 'the scenario declares canDeactivate: false; it stays as it is' };

/** Where the gates left a scenario, and the gate that holds it, if any. */
interface Decision {
  target: TargetState;
  block: GateBlock | null;
}

/** Why a scenario is not (yet) where it should be. */
interface Explanation {
  reason: Reason | null;
  message: string | null;
}

/** The state we believe a scenario is in: what it reports, else what it last acknowledged. */
export function effectiveState(record: ObservedRecord): TargetState | 'unknown' {
  if (record.state === 'active' || record.state === 'inactive') return record.state;
  return record.lastAck ?? 'unknown';
}

/** True when a scenario may be active now, so it counts against conflicts and limits. */
export function holdsSlot(record: ObservedRecord): boolean {
  if (record.inFlight === 'activate') return true;
  const effective = effectiveState(record);
  // A scenario that never answered holds nothing; one we simply have not heard from yet might be running.
  return effective === 'active' || (effective === 'unknown' && record.state !== 'unreachable');
}

/** Plans one pass: where the gates leave each wanted scenario, then an action and a verdict for every one. */
export function plan(input: PlanInput): Plan {
  const ordered = isSortedById(input.scenarios) ? input.scenarios : [...input.scenarios].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const view = passView(input);
  const { targets, probe } = decideTargets(input, ordered, view);
  const actions: PlannedAction[] = [];
  const verdicts = new Map<string, ScenarioVerdict>();
  for (const scenario of ordered) {
    if (input.only !== undefined && scenario.id !== input.only) continue;
    const desired = view.desiredOf(scenario);
    const decided = targets.get(scenario.id) ?? UNDECIDED;
    const record = view.recordOf(scenario.id);
    const action = actionFor(scenario, decided.target, record, input.now);
    if (action) actions.push({ scenario: scenario.id, action, because: action === 'activate' ? describeSource(desired) : decided.block?.reason ?? 'desired inactive' });
    const why = explain(scenario, view.isGone(scenario), desired, decided, record, action, input.now);
    verdicts.set(scenario.id, unlessUnchanged(input.previous?.get(scenario.id), desired, decided.target, why));
  }
  // Deactivations first: they free slots and they are what an emergency needs.
  actions.sort((a, b) => (a.action === b.action ? 0 : a.action === 'deactivate' ? -1 : 1));
  return probe ? { actions, verdicts, probe } : { actions, verdicts };
}

/** How one pass reads a scenario's inputs: a vanished one is desired inactive, an unheard one unknown. */
interface PassView {
  isGone(scenario: PlannableScenario): boolean;
  desiredOf(scenario: PlannableScenario): DesiredEntry;
  recordOf(id: string): ObservedRecord;
}

function passView(input: PlanInput): PassView {
  const isGone = (scenario: PlannableScenario) => input.gone?.has(scenario.id) ?? false;
  return {
    isGone,
    desiredOf: (scenario) => (isGone(scenario) ? INACTIVE_BY_DEFAULT : input.desired.get(scenario.id) ?? INACTIVE_BY_DEFAULT),
    recordOf: (id) => input.observed.get(id) ?? unknownRecord(),
  };
}

/** One gate as a pass asks it: its name, whether it holds back scenarios already holding a slot, and its check. */
interface PassGate {
  gate: Gate;
  /** Gates 2 and 5-8 block new activations only; a scenario that already holds a slot is asked the others. */
  holders: boolean;
  /** Break-glass (SPEC 10) lets a scenario through this gate. */
  breakable: boolean;
  check(scenario: PlannableScenario, record: ObservedRecord): GateBlock | null;
}

/** The gates break-glass (SPEC 10) lets an incident through; never EmergencyStop, Conflict or ConcurrencyLimit. */
const BREAKABLE: ReadonlySet<Gate> = new Set<Gate>(['WindowClosed', 'ResourcePressure', 'HealthCheck', 'FailureBudget', 'Cooldown']);

/**
 * The gates of one pass in SPEC order (gate 9, AwaitingConfirmation, is asked when a change is, not here).
 * Conflict and ConcurrencyLimit read the occupancy as it stands when they are asked.
 */
function passGates(
  input: PlanInput,
  ordered: readonly PlannableScenario[],
  conflicts: ReadonlyMap<string, ReadonlySet<string>>,
  occupancy: Occupancy,
): PassGate[] {
  // The same for every scenario of this pass: built once, not once per scenario.
  const stopped = emergencyStopGate(input.emergencyStop);
  let hostBlock: GateBlock | null | undefined;
  const healthBlock = healthCheckGate(input.health);
  // A percentage maxActive is of the fleet: the scenarios listed, less those that left.
  let fleetSize = ordered.length;
  if (input.gone) for (const scenario of ordered) if (input.gone.has(scenario.id)) fleetSize--;
  const gates: Omit<PassGate, 'breakable'>[] = [
    { gate: 'EmergencyStop', holders: true, check: () => stopped },
    { gate: 'WindowClosed', holders: false, check: (scenario) => windowGate(input.denyWindows, scenario.id) },
    { gate: 'Conflict', holders: true, check: (scenario) => conflictGate(scenario.id, conflicts, occupancy) },
    { gate: 'ConcurrencyLimit', holders: true, check: (scenario) => concurrencyGate(scenario.weight === 'heavy', input.policy, occupancy, fleetSize) },
    { gate: 'ResourcePressure', holders: false, check: () => (hostBlock === undefined ? (hostBlock = resourceGate(input.host, input.policy)) : hostBlock) },
    { gate: 'HealthCheck', holders: false, check: () => healthBlock },
    { gate: 'FailureBudget', holders: false, check: (scenario) => failureBudgetGate(input.failureBudget, input.policy, scenario.id) },
    { gate: 'Cooldown', holders: false, check: (_scenario, record) => cooldownGate(record.lastActivatedAt, input.policy, input.now) },
  ];
  return gates.map((gate) => ({ ...gate, breakable: BREAKABLE.has(gate.gate) }));
}

/** The first gate of `gates` that blocks, or null. */
function firstBlock(gates: readonly PassGate[], scenario: PlannableScenario, record: ObservedRecord, breaksGlass: boolean): GateBlock | null {
  for (const gate of gates) {
    if (breaksGlass && gate.breakable) continue;
    const block = gate.check(scenario, record);
    if (block) return block;
  }
  return null;
}

/** Every gate's answer, for explain; `applies` says which of them this pass holds the scenario to. */
function reportGates(gates: readonly PassGate[], scenario: PlannableScenario, record: ObservedRecord, breaksGlass: boolean, applies: (gate: PassGate) => boolean): GateReport[] {
  return gates.map((gate) => ({ gate: gate.gate, block: breaksGlass && gate.breakable ? null : gate.check(scenario, record), applied: applies(gate) }));
}

/**
 * The gates, in SPEC order, over the scenarios desired active: those already holding a slot keep it first,
 * then new ones are admitted by id. Scenarios absent from the result are driven inactive.
 */
function decideTargets(input: PlanInput, ordered: readonly PlannableScenario[], { desiredOf, recordOf }: PassView): { targets: Map<string, Decision>; probe?: GateReport[] } {
  const conflicts = conflictMap(input.policy, ordered);
  const occupancy: Occupancy = { active: new Set(), heavy: new Set() };
  const targets = new Map<string, Decision>();
  const occupy = (scenario: PlannableScenario) => {
    occupancy.active.add(scenario.id);
    if (scenario.weight === 'heavy') occupancy.heavy.add(scenario.id);
  };
  const gates = passGates(input, ordered, conflicts, occupancy);
  const holderGates = gates.filter((gate) => gate.holders);
  let probe: GateReport[] | undefined;

  // Scenarios that hold a slot without being wanted still occupy it until they are confirmed inactive:
  // that is what makes a hand-over wait for the previous holder to stop.
  for (const scenario of ordered) {
    if (desiredOf(scenario).state !== 'active' && holdsSlot(recordOf(scenario.id)) && scenario.endpoint) occupy(scenario);
  }
  const wanted = ordered.filter((scenario) => desiredOf(scenario).state === 'active' && scenario.endpoint);
  const holders = wanted
    .filter((scenario) => holdsSlot(recordOf(scenario.id)))
    .sort((a, b) => holdPriority(a, recordOf(a.id), input.now) - holdPriority(b, recordOf(b.id), input.now));
  const candidates = wanted.filter((scenario) => !holdsSlot(recordOf(scenario.id)));

  for (const scenario of holders) {
    const record = recordOf(scenario.id);
    const breaksGlass = desiredOf(scenario).source.kind === 'breakGlass';
    if (scenario.id === input.probe) probe = reportGates(gates, scenario, record, breaksGlass, (gate) => gate.holders);
    const block = firstBlock(holderGates, scenario, record, breaksGlass);
    // An evicted holder still runs until it confirms inactive, so whoever comes after must wait for it too.
    targets.set(scenario.id, block ? { target: 'inactive', block } : ADMITTED);
    occupy(scenario);
  }
  for (const scenario of candidates) {
    const record = recordOf(scenario.id);
    const breaksGlass = desiredOf(scenario).source.kind === 'breakGlass';
    if (scenario.id === input.probe) probe = reportGates(gates, scenario, record, breaksGlass, () => true);
    const block = firstBlock(gates, scenario, record, breaksGlass);
    if (block) targets.set(scenario.id, { target: 'inactive', block });
    else if (isBackingOff(record, input.now)) targets.set(scenario.id, ADMITTED);
    else {
      targets.set(scenario.id, ADMITTED);
      occupy(scenario);
    }
  }
  // A scenario not desired active meets no gate; asked after everyone admitted, they say what an activation would meet.
  const unasked = probe === undefined && input.probe !== undefined ? ordered.find((scenario) => scenario.id === input.probe) : undefined;
  if (unasked) probe = reportGates(gates, unasked, recordOf(unasked.id), desiredOf(unasked).source.kind === 'breakGlass', () => false);
  return { targets, probe };
}

/** The previous verdict when it says the same, so that an unchanged scenario keeps its verdict object. */
function unlessUnchanged(previous: ScenarioVerdict | undefined, desired: DesiredEntry, target: TargetState, why: Explanation): ScenarioVerdict {
  if (previous && previous.target === target && previous.reason === why.reason && previous.message === why.message && sameDesired(previous.desired, desired)) return previous;
  return { desired, target, reason: why.reason, message: why.message };
}

/**
 * Among scenarios that already hold a slot, who keeps it first: those we cannot stop right now (they run
 * whatever we decide), then those known active, then those activating, then those not heard from yet.
 * Array.prototype.sort is stable, so ids order each rank.
 */
function holdPriority(scenario: PlannableScenario, record: ObservedRecord, now: number): number {
  if (!scenario.canDeactivate || isBackingOff(record, now)) return 0;
  if (effectiveState(record) === 'active') return 1;
  return record.inFlight === 'activate' ? 2 : 3;
}

function isSortedById(list: readonly { id: string }[]): boolean {
  for (let i = 1; i < list.length; i++) if (list[i - 1].id > list[i].id) return false;
  return true;
}

function isBackingOff(record: ObservedRecord, now: number): boolean {
  return record.retryAt !== null && record.retryAt > now;
}

function actionFor(scenario: PlannableScenario, target: TargetState, record: ObservedRecord, now: number): PlannedAction['action'] | null {
  if (!scenario.endpoint || isBackingOff(record, now)) return null;
  const effective = effectiveState(record);
  if (target === 'active') {
    return effective !== 'active' && record.inFlight === null ? 'activate' : null;
  }
  if (!scenario.canDeactivate || record.inFlight === 'deactivate') return null;
  // An activation in flight is superseded: the executor aborts it and deactivates.
  if (record.inFlight === 'activate') return 'deactivate';
  if (effective === 'inactive' || record.inFlight !== null) return null;
  return 'deactivate';
}

function explain(
  scenario: PlannableScenario,
  gone: boolean,
  desired: DesiredEntry,
  decided: Decision,
  record: ObservedRecord,
  action: PlannedAction['action'] | null,
  now: number,
): Explanation {
  if (scenario.endpointProblem) return scenario.endpointProblem;
  const effective = effectiveState(record);
  const converged = effective === decided.target && record.inFlight === null;
  if (decided.block && desired.state === 'active') return decided.block;
  if (gone && effective !== 'inactive') return GONE;
  if (converged) return NO_REASON;
  if (decided.target === 'inactive' && !scenario.canDeactivate) return CANNOT_DEACTIVATE;
  if (isBackingOff(record, now)) {
    const reason: Reason = record.state === 'unreachable' ? 'Unreachable' : 'ActionFailed';
    const wait = Math.max(0, Math.ceil(((record.retryAt ?? now) - now) / 1000));
    return { reason, message: `${record.lastError ?? 'the last call failed'}; retry in ${wait}s (attempt ${record.failures})` };
  }
  const doing = record.inFlight ?? action;
  if (doing) return doing === 'activate' ? ACTIVATING : DEACTIVATING;
  if (record.state === 'unreachable') return { reason: 'Unreachable', message: record.lastError ?? 'the scenario does not answer' };
  return NO_REASON;
}
