/**
 * Notifications never delay the loop (issue 19): the same 10,000-scenario stop-all with and without a
 * webhook notifier whose receiver answers each delivery in 2 s, on one orchestrator (the settled one the
 * API and metrics suites used), in one run. Pairs
 * alternate which side goes first (ABBA) so drift of the machine falls on both. The receiver runs in its
 * own process; it must have received the emergency.stop delivery for a sample with the notifier to count.
 */
import * as path from 'node:path';
import { ratioRow, type SuiteContext } from '../support/context';
import type { BenchFleet } from '../support/fleet';
import { request } from '../support/http';
import type { OrchestratorChild } from '../support/orchestrator';
import { forkNode, IpcPeer, sleep, stopChild } from '../support/proc';
import { median } from '../support/stats';
import { productCycle } from './convergence';

/** The receiver's answer time: far longer than a whole stop-all, so any wait on it would show. */
export const RECEIVER_DELAY_MS = 2000;
/** "Unchanged within noise": what two runs of the same stop-all differ by on this 2-core machine. */
export const NOTIFY_RATIO_MAX = 1.2;
const EVERY_EVENT = ['window.opened', 'window.closed', 'emergency.stop', 'emergency.resume', 'override.expiring', 'override.expired', 'action.failed', 'budget.exhausted', 'healthcheck.blocked', 'leader.changed'];

/** Runs the pairs and records notify.stopAll. */
export async function runNotify(ctx: SuiteContext, orchestrator: OrchestratorChild, fleet: BenchFleet): Promise<void> {
  const n = fleet.scenarios.length;
  const pairs = ctx.options.mode === 'smoke' ? 1 : Math.max(ctx.options.reps, 3);
  const receiver = forkNode(path.join(__dirname, '..', 'support', 'slow-receiver.js'), [], { BENCH_RECEIVER_DELAY_MS: String(RECEIVER_DELAY_MS) });
  const peer = new IpcPeer(receiver);
  const without: number[] = [];
  const withNotifier: number[] = [];
  try {
    await sleep(100);
    const { url } = await peer.request<{ url: string }>({ type: 'address' });
    const manifest = `apiVersion: maintenance/v1\nkind: Notifier\nmetadata: {name: bench-slow}\nspec:\n  type: webhook\n  url: ${url}\n  events: [${EVERY_EVENT.join(', ')}]\n  secret: bench-secret-of-24-chars\n`;
    const setNotifier = async (on: boolean) => {
      const reply = on ? await request(`${orchestrator.api}/apply`, { method: 'POST', body: { manifests: manifest, source: 'bench-notifier.yaml' } }) : await request(`${orchestrator.api}/notifiers/bench-slow`, { method: 'DELETE' });
      if (reply.status !== 200 && !(reply.status === 404 && !on)) throw new Error(`${on ? 'apply' : 'delete'} notifier answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    };
    for (let pair = 1; pair <= pairs; pair++) {
      const order = pair % 2 === 1 ? [false, true] : [true, false];
      for (const on of order) {
        await setNotifier(on);
        const before = (await peer.request<{ received: { event: string; at: number }[] }>({ type: 'received' })).received.length;
        const cycle = await productCycle(ctx, fleet, orchestrator);
        (on ? withNotifier : without).push(cycle.stop.ms);
        if (on) {
          const received = (await peer.request<{ received: { event: string; at: number }[] }>({ type: 'received' })).received.slice(before);
          const stop = received.find((entry) => entry.event === 'emergency.stop');
          if (!stop) throw new Error(`the receiver got no emergency.stop delivery (got: ${received.map((entry) => entry.event).join(', ') || 'nothing'})`);
        }
        ctx.log(`notify N=${n} pair ${pair}/${pairs}: stop-all ${cycle.stop.ms} ms ${on ? `with the ${RECEIVER_DELAY_MS} ms webhook` : 'without a notifier'}`);
      }
    }
    await setNotifier(false);
  } finally {
    await stopChild(receiver);
  }
  ctx.rows.push(
    ratioRow(
      {
        id: 'notify.stopAll', figure: `9 stop-all → all inactive with a webhook answering in ${RECEIVER_DELAY_MS / 1000} s`, n, unit: 'ms',
        ours: median(withNotifier), baseline: median(without),
        baselineLabel: `the same stop-all on the same orchestrator without a notifier, median of ${without.length} (pairs alternate which goes first)`,
        note: `with ${withNotifier.join(', ')} ms; without ${without.join(', ')} ms; the receiver got the emergency.stop delivery of each sample with the notifier`,
        details: { withNotifier, without },
      },
      { max: NOTIFY_RATIO_MAX, applies: n === ctx.options.targetN },
    ),
  );
}
