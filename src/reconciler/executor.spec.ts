import { Executor } from './executor';
import type { CallResult, Cancellation, ScenarioAddress, ScenarioClient } from './scenario-client';
import type { TargetState } from './types';

/** A scenario client whose calls finish when the test says so. */
class ControlledClient implements ScenarioClient {
  readonly calls: { id: string; state: TargetState; cancellation?: Cancellation; finish: (result: CallResult) => void }[] = [];

  setState(address: ScenarioAddress, state: TargetState, cancellation?: Cancellation): Promise<CallResult> {
    return new Promise((resolve) => {
      const call = { id: address.id, state, cancellation, finish: resolve };
      this.calls.push(call);
      cancellation?.bind(() => resolve({ ok: false, unreachable: false, aborted: true, error: 'aborted' }));
    });
  }
  getState(): Promise<CallResult> {
    return Promise.resolve({ ok: true, reported: 'inactive' });
  }
  close(): void {}
}

const address = (id: string): ScenarioAddress => ({ id, endpoint: 'http://127.0.0.1:1', stateEndpoint: '/api/maintenance/state' });
const ok: CallResult = { ok: true, reported: 'active' };
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Executor', () => {
  it('never has more calls in flight than its bound', async () => {
    const client = new ControlledClient();
    const executor = new Executor(client, 2);
    for (const id of ['a', 'b', 'c', 'd']) void executor.submit(id, 'activate', address(id));
    await tick();
    expect(client.calls.map((call) => call.id)).toEqual(['a', 'b']);
    client.calls[0].finish(ok);
    await tick();
    expect(client.calls.map((call) => call.id)).toEqual(['a', 'b', 'c']);
  });

  it('runs queued deactivations before queued activations', async () => {
    const client = new ControlledClient();
    const executor = new Executor(client, 1);
    void executor.submit('busy', 'activate', address('busy'));
    void executor.submit('a', 'activate', address('a'));
    void executor.submit('z', 'deactivate', address('z'));
    await tick();
    client.calls[0].finish(ok);
    await tick();
    expect(client.calls.map((call) => `${call.state} ${call.id}`)).toEqual(['active busy', 'inactive z']);
  });

  it('abandons queued and running activations on stop-all and reports them as aborted', async () => {
    const client = new ControlledClient();
    const executor = new Executor(client, 1);
    const running = executor.submit('a', 'activate', address('a'));
    const queued = executor.submit('b', 'activate', address('b'));
    await tick();
    expect(executor.abandonAllActivations()).toEqual({ neverSent: ['b'], interrupted: ['a'] });
    expect((await running).result).toMatchObject({ aborted: true });
    expect((await running).result).not.toHaveProperty('neverSent');
    expect((await queued).result).toMatchObject({ aborted: true, neverSent: true });
    expect(client.calls.map((call) => call.id)).toEqual(['a']);
    expect(executor.depth).toBe(0);
  });

  it('lets a deactivation supersede the activation of the same scenario', async () => {
    const client = new ControlledClient();
    const executor = new Executor(client, 4);
    const activation = executor.submit('a', 'activate', address('a'));
    await tick();
    const deactivation = executor.submit('a', 'deactivate', address('a'));
    expect((await activation).result).toMatchObject({ aborted: true });
    await tick();
    expect(client.calls.map((call) => call.state)).toEqual(['active', 'inactive']);
    client.calls[1].finish({ ok: true, reported: 'inactive' });
    expect((await deactivation).result).toMatchObject({ ok: true });
  });

  it('keeps one call at a time per scenario', async () => {
    const client = new ControlledClient();
    const executor = new Executor(client, 4);
    void executor.submit('a', 'deactivate', address('a'));
    void executor.submit('a', 'deactivate', address('a'));
    await tick();
    expect(client.calls).toHaveLength(1);
    client.calls[0].finish(ok);
    await tick();
    expect(client.calls).toHaveLength(2);
  });
});
