import { ApiError, CliFailure, EXIT, exitCodeForStatus, toFailure, UnreachableError } from './errors';

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
