import type { Delivery } from './notification-dispatcher';
import { MaintenanceAlertPublisher, type MaintenanceStatus, type PostableAlert } from './maintenance-alerts';
import type { NotifierSpec } from './notifier-manifest';

const alertmanager: NotifierSpec = { name: 'am', type: 'alertmanager', url: 'http://127.0.0.1:9093', events: [], secret: null };
const webhook: NotifierSpec = { name: 'hook', type: 'webhook', url: 'http://127.0.0.1:9000/hook', events: ['action.failed'], secret: null };

function publisherWith(notifiers: NotifierSpec[]) {
  const sent: Delivery[] = [];
  const publisher = new MaintenanceAlertPublisher(() => notifiers, { enqueue: (delivery) => sent.push(delivery) }, { repostMs: 60_000, clock: () => 1_000_000 });
  const posted = () => sent.map((delivery) => (JSON.parse((delivery.request as { body: string }).body) as PostableAlert[]).map((alert) => alert.labels.scenario ?? alert.labels.alertname));
  return { publisher, sent, posted };
}

describe('MaintenanceAlertPublisher without an alertmanager notifier', () => {
  it('never gathers the status (the loop pays nothing per pass) and posts nothing', () => {
    const { publisher, sent } = publisherWith([webhook]);
    const read = jest.fn((): MaintenanceStatus => ({ active: ['backup'], emergencyStop: null }));
    publisher.update(read);
    publisher.update(read);
    expect(read).not.toHaveBeenCalled();
    expect(sent).toEqual([]);
    expect(publisher.enabled).toBe(false);
  });

  it('sends every firing alert at once to an alertmanager notifier added later', () => {
    const notifiers: NotifierSpec[] = [alertmanager];
    const { publisher, posted } = publisherWith(notifiers);
    publisher.update(() => ({ active: ['backup', 'vacuum'], emergencyStop: null }));
    notifiers.pop();
    publisher.update(() => ({ active: ['backup', 'vacuum'], emergencyStop: null }));
    notifiers.push(alertmanager);
    publisher.update(() => ({ active: ['backup', 'vacuum'], emergencyStop: null }));
    expect(posted()).toEqual([
      ['backup', 'vacuum'],
      ['backup', 'vacuum'],
    ]);
  });

  it('reads the status once per update when an alertmanager notifier is there', () => {
    const { publisher, posted } = publisherWith([webhook, alertmanager]);
    const read = jest.fn((): MaintenanceStatus => ({ active: ['backup'], emergencyStop: null }));
    publisher.update(read);
    expect(read).toHaveBeenCalledTimes(1);
    expect(posted()).toEqual([['backup']]);
  });
});
