/**
 * Notifications from a running orchestrator's loop (SPEC 11): a real demo fleet, the real reconciler, the
 * real Alertmanager. `action.failed` goes out once per failure streak however often the loop retries, and
 * the alertmanager notifier's MaintenanceActive / MaintenanceEmergencyStop alerts follow the fleet.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connectLoopNotifications } from '../src/notify/loop-notifications';
import { MaintenanceAlertPublisher } from '../src/notify/maintenance-alerts';
import { NotificationDispatcher } from '../src/notify/notification-dispatcher';
import type { NotifierSpec } from '../src/notify/notifier-manifest';
import { startAlertmanager, type MonitoringServer } from './support/monitoring-servers';
import { eventually, startTestSystem, type TestSystem } from './support/system';

jest.setTimeout(90_000);

describe('notifications from the loop', () => {
  let alertmanager: MonitoringServer;
  let system: TestSystem;
  let receiver: Server;
  const events: { event: string; scenario: string | null }[] = [];
  let disconnect: () => void = () => undefined;
  let dispatcher: NotificationDispatcher;

  beforeAll(async () => {
    alertmanager = await startAlertmanager();
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        events.push(JSON.parse(body));
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    system = await startTestSystem({ specs: [{ id: 'backup-manager' }, { id: 'report-builder' }], env: { RESYNC_INTERVAL: '1s' } });
    const { orchestrator } = system.server;
    const notifiers: NotifierSpec[] = [
      { name: 'hook', type: 'webhook', url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`, events: ['action.failed'], secret: null },
      { name: 'am', type: 'alertmanager', url: alertmanager.url, events: [], secret: null },
    ];
    dispatcher = new NotificationDispatcher(() => notifiers, { activity: orchestrator.activity, allowedHosts: [], baseDelayMs: 20 });
    const publisher = new MaintenanceAlertPublisher(() => notifiers, dispatcher, { repostMs: 60_000 });
    disconnect = connectLoopNotifications(orchestrator.reconciler, dispatcher, publisher, () => orchestrator.state.snapshot().emergencyStop);
  });
  afterAll(async () => {
    disconnect();
    dispatcher?.stop();
    await system?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
    await alertmanager?.stop();
  });

  async function firing(): Promise<string[]> {
    const response = await fetch(`${alertmanager.url}/api/v2/alerts?active=true&filter=source%3D%22maintenance-orchestrator%22`);
    const alerts = (await response.json()) as { labels: Record<string, string> }[];
    return alerts.map((alert) => `${alert.labels.alertname}${alert.labels.scenario ? `{${alert.labels.scenario}}` : ''}`).sort();
  }

  it('MaintenanceActive follows the active scenarios, MaintenanceEmergencyStop the latch; action.failed is sent once per failure streak', async () => {
    const state = system.server.orchestrator.state;
    await state.setOverride('backup-manager', 'active', { actor: 'ops' });
    await eventually(async () => JSON.stringify(await firing()) === '["MaintenanceActive{backup-manager}"]', 'backup-manager alerted as active', 20_000);

    system.fleet.configure('report-builder', { failRate: 1 });
    await state.setOverride('report-builder', 'active', { actor: 'ops' });
    // Let the loop retry a few times with its backoff: still one notification.
    await eventually(() => (system.server.orchestrator.reconciler.observed.get('report-builder')?.failures ?? 0) >= 3, 'three failed attempts', 30_000);
    await dispatcher.idle();
    expect(events).toEqual([expect.objectContaining({ event: 'action.failed', scenario: 'report-builder' })]);

    await system.server.orchestrator.control.stopAll('incident', 'ops');
    await eventually(async () => JSON.stringify(await firing()) === '["MaintenanceEmergencyStop"]', 'the stop alerted, backup-manager resolved', 20_000);
    state.resume('ops');
    await eventually(async () => (await firing()).length === 0, 'every maintenance alert resolved after resume', 20_000);
  });
});
