import { parseEpoch, parseLeader, parseStateRequest } from './protocol';

describe('parseStateRequest', () => {
  it.each([
    ['maintenanceState alone', { maintenanceState: 'active' }, { state: 'active', leaseSeconds: 0 }],
    ['state alone', { state: 'inactive' }, { state: 'inactive', leaseSeconds: 0 }],
    ['both keys, agreeing', { maintenanceState: 'active', state: 'active' }, { state: 'active', leaseSeconds: 0 }],
    ['a lease', { state: 'active', leaseSeconds: 45 }, { state: 'active', leaseSeconds: 45 }],
    ['a fractional lease', { state: 'active', leaseSeconds: 0.2 }, { state: 'active', leaseSeconds: 0.2 }],
    ['a null lease', { state: 'active', leaseSeconds: null }, { state: 'active', leaseSeconds: 0 }],
  ])('reads %s', (_label, body, expected) => {
    expect(parseStateRequest(JSON.stringify(body))).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['not JSON', '{nope', /not JSON/],
    ['an array', '[]', /JSON object/],
    ['no state key', '{"other":1}', /needs/],
    ['an unknown state', '{"maintenanceState":"on"}', /"maintenanceState" must be/],
    ['an upper-case state', '{"state":"ACTIVE"}', /"state" must be/],
    ['keys that disagree', '{"maintenanceState":"active","state":"inactive"}', /disagree/],
    ['a negative lease', '{"state":"active","leaseSeconds":-1}', /leaseSeconds/],
    ['a lease as text', '{"state":"active","leaseSeconds":"30"}', /leaseSeconds/],
  ])('refuses %s with a message', (_label, text, message) => {
    const parsed = parseStateRequest(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toMatch(message);
  });
});

describe('epoch and leader headers', () => {
  it.each([
    [undefined, { ok: true, value: null }],
    ['0', { ok: true, value: 0 }],
    [' 42 ', { ok: true, value: 42 }],
  ])('reads epoch %p', (header, expected) => {
    expect(parseEpoch(header)).toEqual(expected);
  });

  it.each(['', '-3', '4.5', 'abc', '1e3', '9999999999999999'])('refuses epoch %p', (header) => {
    expect(parseEpoch(header).ok).toBe(false);
  });

  it('reads the leader, empty as null', () => {
    expect(parseLeader(' replica-a ')).toBe('replica-a');
    expect(parseLeader('')).toBeNull();
    expect(parseLeader(undefined)).toBeNull();
  });
});
