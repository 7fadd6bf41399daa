/**
 * `kind: Notifier` manifests (SPEC 11): validated into a NotifierSpec, or a ManifestError naming the file,
 * line and field of every problem. Pure.
 */
import { describe, ManifestError, type ManifestProblem, type RawManifest } from '../presets/manifest';
import { NOTIFICATION_EVENTS, type NotificationEventName } from './notification';

/** Where a notifier delivers. */
export const NOTIFIER_TYPES = ['webhook', 'slack', 'alertmanager'] as const;
export type NotifierType = (typeof NOTIFIER_TYPES)[number];

/** A validated notifier. */
export interface NotifierSpec {
  name: string;
  type: NotifierType;
  url: string;
  /** The events it is sent; none for an alertmanager notifier, which keeps its maintenance alerts from the fleet's state. */
  events: NotificationEventName[];
  /** Webhook only: the HMAC-SHA256 key of the `X-Maintenance-Signature` header; null sends no signature. */
  secret: string | null;
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const SPEC_FIELDS = ['type', 'url', 'events', 'secret'];

/** Validates a `kind: Notifier` manifest (kind already checked by the caller). */
export function notifierFromManifest(manifest: Pick<RawManifest, 'metadata' | 'spec' | 'file' | 'lineOf'>): NotifierSpec {
  const problems: ManifestProblem[] = [];
  const fail = (path: (string | number)[], message: string) => problems.push({ file: manifest.file, line: manifest.lineOf(path), field: path.join('.'), message });
  const { metadata, spec } = manifest;
  for (const key of Object.keys(metadata)) if (!['name', 'description', 'labels'].includes(key)) fail(['metadata', key], 'is not a known field (known: name, description, labels)');
  for (const key of Object.keys(spec)) if (!SPEC_FIELDS.includes(key)) fail(['spec', key], `is not a known field (known: ${SPEC_FIELDS.join(', ')})`);
  const name = metadata.name;
  if (typeof name !== 'string' || !NAME.test(name)) fail(['metadata', 'name'], `must be a lowercase id (a-z, 0-9, -, ., _; at most 63), got ${describe(name)}`);
  const type = spec.type as NotifierType;
  if (!NOTIFIER_TYPES.includes(type)) fail(['spec', 'type'], `must be one of ${NOTIFIER_TYPES.join(', ')}, got ${describe(spec.type)}`);
  const url = readUrl(spec.url, fail);
  const events = readEvents(spec.events, type, fail);
  let secret: string | null = null;
  if (spec.secret !== undefined && spec.secret !== null) {
    if (type !== 'webhook') fail(['spec', 'secret'], 'only a webhook notifier signs its deliveries');
    else if (typeof spec.secret !== 'string' || spec.secret.length < 16) fail(['spec', 'secret'], 'must be a string of at least 16 characters');
    else secret = spec.secret;
  }
  if (problems.length > 0) throw new ManifestError(problems);
  return { name: name as string, type, url, events, secret };
}

function readUrl(value: unknown, fail: (path: string[], message: string) => void): string {
  let url: URL | null = null;
  try {
    url = typeof value === 'string' ? new URL(value) : null;
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    fail(['spec', 'url'], `is required: an http(s) URL, got ${describe(value)}`);
    return '';
  }
  if (url.username || url.password) fail(['spec', 'url'], 'must not carry credentials');
  return value as string;
}

function readEvents(value: unknown, type: NotifierType, fail: (path: (string | number)[], message: string) => void): NotificationEventName[] {
  if (type === 'alertmanager') {
    if (value !== undefined && value !== null) fail(['spec', 'events'], 'an alertmanager notifier keeps the MaintenanceActive and MaintenanceEmergencyStop alerts itself and takes no events');
    return [];
  }
  if (!Array.isArray(value) || value.length === 0) {
    fail(['spec', 'events'], `must list at least one event of: ${NOTIFICATION_EVENTS.join(' ')}`);
    return [];
  }
  const events: NotificationEventName[] = [];
  value.forEach((event, index) => {
    if (!NOTIFICATION_EVENTS.includes(event as NotificationEventName)) fail(['spec', 'events', index], `must be one of ${NOTIFICATION_EVENTS.join(' ')}, got ${describe(event)}`);
    else if (!events.includes(event as NotificationEventName)) events.push(event as NotificationEventName);
  });
  return events;
}
