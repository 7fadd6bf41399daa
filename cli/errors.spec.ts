import type { AppliedDocument, ChangePlan } from './api-types';
import { ApiError, CliFailure, EXIT, exitCodeForStatus, exitCodeOfChange, outcomeOfApply, toFailure, UnreachableError } from './errors';

describe('exitCodeForStatus', () => {
  it.each([
    [400, undefined, EXIT.usage],
    [413, undefined, EXIT.usage],
    [401, undefined, EXIT.failure],
    [404, 'NotFound', EXIT.failure],
    [409, 'Refused', EXIT.refused],
    [409, undefined, EXIT.refused],
    [409, 'Conflict', EXIT.failure],
    [428, 'ConfirmationRequired', EXIT.refused],
    [500, undefined, EXIT.failure],
    [503, 'Unavailable', EXIT.failure],
  ])('HTTP %i (%s) exits %i', (status, code, exit) => expect(exitCodeForStatus(status, code)).toBe(exit));
});

describe('toFailure', () => {
  it('keeps the API error body for --json and names the gate in the message', () => {
    const body = { statusCode: 409, error: 'Conflict', message: 'emergency stop is active', code: 'Refused', reason: 'EmergencyStop' };
    const failure = toFailure(new ApiError(409, body));
    expect(failure).toMatchObject({ exit: EXIT.refused, body, message: 'refused by EmergencyStop: emergency stop is active' });
  });

  it('says how to start the server when it cannot be reached, on one line', () => {
    const failure = toFailure(new UnreachableError('http://127.0.0.1:9', 'connection refused'));
    expect(failure?.exit).toBe(EXIT.failure);
    expect(failure?.message).toBe("cannot reach the orchestrator at http://127.0.0.1:9: connection refused (is it running? start it with 'npm start' or 'maintenance-orchestrator serve')");
    expect(failure?.message).not.toContain('\n');
  });

  it('passes CliFailure through and leaves other errors to oclif', () => {
    const failure = new CliFailure('x', EXIT.usage);
    expect(toFailure(failure)).toBe(failure);
    expect(toFailure(new Error('flag parse'))).toBeNull();
  });
});

describe('exitCodeOfChange: the one rule of every change', () => {
  const gate = (scenario: string) => ({ scenario });
  it.each([
    ['nothing asked (applied twice)', { touched: [], blocked: [] }, EXIT.ok],
    ['all done', { touched: ['a', 'b'], blocked: [] }, EXIT.ok],
    ['partly blocked: did something, lists the rest', { touched: ['a', 'b'], blocked: [gate('b')] }, EXIT.ok],
    ['every asked scenario blocked', { touched: ['a', 'b'], blocked: [gate('a'), gate('b')] }, EXIT.refused],
    ['blocked elsewhere in the fleet does not count', { touched: ['a'], blocked: [gate('z')] }, EXIT.ok],
    ['a scenario call failed', { touched: ['a'], blocked: [], failed: [gate('a')] }, EXIT.failure],
    ['a failure wins over a refusal', { touched: ['a', 'b'], blocked: [gate('a'), gate('b')], failed: [gate('c')] }, EXIT.failure],
  ])('%s', (_, outcome, exit) => expect(exitCodeOfChange(outcome)).toBe(exit));
});

describe('outcomeOfApply', () => {
  const plan = (touched: string[], blocked: string[]): ChangePlan => ({ activate: [], deactivate: [], touched, blocked: blocked.map((scenario) => ({ scenario, reason: 'WindowClosed', message: 'deny window' })) });
  const state = (p: ChangePlan, failed?: AppliedDocument['failed']): AppliedDocument => ({ kind: 'MaintenanceState', name: 's', result: 'applied', plan: p, ...(failed ? { failed } : {}) });

  it('is refused when every state document is held back whole', () => {
    expect(exitCodeOfChange(outcomeOfApply([state(plan(['a'], ['a'])), state(plan(['b'], ['b']))]))).toBe(EXIT.refused);
  });

  it('is not refused when another document (a Preset, a Policy, a Schedule) was applied', () => {
    expect(exitCodeOfChange(outcomeOfApply([state(plan(['a'], ['a'])), { kind: 'Schedule', name: 'w', result: 'created' }]))).toBe(EXIT.ok);
  });

  it('fails when a state document reports a scenario that did not acknowledge', () => {
    expect(exitCodeOfChange(outcomeOfApply([state(plan(['a'], []), [{ scenario: 'a', message: 'HTTP 500' }])]))).toBe(EXIT.failure);
  });
});
