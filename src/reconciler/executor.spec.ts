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

  describe('lease renewals', () => {
    it('run after queued deactivations and activations, whatever the order they came in', async () => {
      const client = new ControlledClient();
      const executor = new Executor(client, 1);
      void executor.submit('busy', 'activate', address('busy'));
      void executor.renew('r', address('r'));
      void executor.submit('a', 'activate', address('a'));
      void executor.submit('z', 'deactivate', address('z'));
      await tick();
      for (let i = 0; i < 3; i++) {
        client.calls[i].finish(ok);
        await tick();
      }
      expect(client.calls.map((call) => `${call.state} ${call.id}`)).toEqual(['active busy', 'inactive z', 'active a', 'active r']);
    });

    it('count in the depth but are not an action the loop planned', async () => {
      const client = new ControlledClient();
      const executor = new Executor(client, 1);
      void executor.renew('r', address('r'));
      void executor.renew('q', address('q'));
      await tick();
      expect(executor.depth).toBe(2);
      expect(executor.pending('r')).toBeNull();
      expect(executor.pending('q')).toBeNull();
      expect(executor.isBusy('r') && executor.isBusy('q')).toBe(true);
    });

    it('are refused while the scenario has any call queued or running', async () => {
      const client = new ControlledClient();
      const executor = new Executor(client, 4);
      void executor.submit('a', 'deactivate', address('a'));
      expect(executor.renew('a', address('a'))).toBeNull();
      void executor.renew('b', address('b'));
      expect(executor.renew('b', address('b'))).toBeNull();
    });

    it('give way to a deactivation of the same scenario while queued', async () => {
      const client = new ControlledClient();
      const executor = new Executor(client, 1);
      void executor.submit('busy', 'activate', address('busy'));
      const queued = executor.renew('q', address('q'))!;
      void executor.submit('q', 'deactivate', address('q'));
      expect((await queued).result).toMatchObject({ aborted: true, neverSent: true });
    });

    it('once sent, finish before the deactivation of the same scenario is sent, so it can never land after it', async () => {
      const client = new ControlledClient();
      const executor = new Executor(client, 4);
      const running = executor.renew('r', address('r'))!;
      await tick();
      void executor.submit('r', 'deactivate', address('r'));
      await tick();
      expect(client.calls.map((call) => call.state)).toEqual(['active']);
      client.calls[0].finish(ok);
      expect((await running).result).toMatchObject({ ok: true });
      await tick();
      expect(client.calls.map((call) => call.state)).toEqual(['active', 'inactive']);
    });

    it('give way to an activation of the same scenario, which carries the lease itself', async () => {
      const client = new ControlledClient();
      const executor = new Executor(client, 1);
      void executor.submit('busy', 'activate', address('busy'));
      const renewal = executor.renew('a', address('a'))!;
      void executor.submit('a', 'activate', address('a'));
      expect((await renewal).result).toMatchObject({ aborted: true, neverSent: true });
      expect(executor.pending('a')).toBe('activate');
    });

    it('are dropped by stop-all while queued, without being reported as activations; one in flight finishes', async () => {
      const client = new ControlledClient();
      const executor = new Executor(client, 1);
      const running = executor.renew('r', address('r'))!;
      const queued = executor.renew('q', address('q'))!;
      void executor.submit('a', 'activate', address('a'));
      await tick();
      expect(executor.abandonAllActivations()).toEqual({ neverSent: ['a'], interrupted: [] });
      expect((await queued).result).toMatchObject({ aborted: true, neverSent: true });
      expect(executor.depth).toBe(1);
      client.calls[0].finish(ok);
      expect((await running).result).toMatchObject({ ok: true });
      expect(executor.depth).toBe(0);
    });
  });
});
