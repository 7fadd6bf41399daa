/** `kind: Notifier` manifests (SPEC 11): accepted forms and a problem naming file, line and field for the rest. */
import { ManifestError, parseManifests } from '../presets/manifest';
import { notifierFromManifest } from './notifier-manifest';

function notifier(spec: string, name = 'pager') {
  return notifierFromManifest(parseManifests(`apiVersion: maintenance/v1\nkind: Notifier\nmetadata: {name: ${name}}\nspec:\n${spec}`, 'notifier.yaml')[0]);
}

function refusal(spec: string, name?: string): string {
  try {
    notifier(spec, name);
  } catch (error) {
    if (error instanceof ManifestError) return error.message;
    throw error;
  }
  throw new Error('expected the notifier to be refused');
}

describe('Notifier manifests', () => {
  it.each([
    ['a signed webhook', '  type: webhook\n  url: http://127.0.0.1:8080/hook\n  events: [emergency.stop, action.failed]\n  secret: 0123456789abcdef0123', { type: 'webhook', events: ['emergency.stop', 'action.failed'], secret: '0123456789abcdef0123' }],
    ['a slack webhook', '  type: slack\n  url: https://127.0.0.1/services/x\n  events: [window.opened, window.closed]', { type: 'slack', secret: null }],
    ['an alertmanager without events', '  type: alertmanager\n  url: http://127.0.0.1:9093', { type: 'alertmanager', events: [] }],
  ])('accepts %s', (_case, spec, expected) => {
    expect(notifier(spec)).toMatchObject({ name: 'pager', ...expected });
  });

  it.each([
    ['an unknown type', '  type: email\n  url: http://127.0.0.1\n  events: [emergency.stop]', 'notifier.yaml:5: spec.type: must be one of webhook, slack, alertmanager, got "email"'],
    ['no url', '  type: webhook\n  events: [emergency.stop]', 'spec.url: is required'],
    ['an unknown event', '  type: webhook\n  url: http://127.0.0.1\n  events: [emergency.stop, deploy.done]', 'notifier.yaml:7: spec.events.1: must be one of window.opened'],
    ['a webhook without events', '  type: webhook\n  url: http://127.0.0.1', 'spec.events: must list at least one event'],
    ['events on an alertmanager', '  type: alertmanager\n  url: http://127.0.0.1\n  events: [emergency.stop]', 'spec.events: an alertmanager notifier keeps'],
    ['a secret on slack', '  type: slack\n  url: http://127.0.0.1\n  events: [emergency.stop]\n  secret: 0123456789abcdef0123', 'spec.secret: only a webhook notifier signs'],
    ['a short secret', '  type: webhook\n  url: http://127.0.0.1\n  events: [emergency.stop]\n  secret: short', 'spec.secret: must be a string of at least 16 characters'],
    ['an unknown field', '  type: webhook\n  url: http://127.0.0.1\n  events: [emergency.stop]\n  retries: 3', 'spec.retries: is not a known field'],
  ])('refuses %s, naming the field', (_case, spec, expected) => {
    expect(refusal(spec)).toContain(expected);
  });

  it('refuses a name that is no id', () => {
    expect(refusal('  type: alertmanager\n  url: http://127.0.0.1', '"Bad Name"')).toContain('metadata.name: must be a lowercase id');
  });
});
