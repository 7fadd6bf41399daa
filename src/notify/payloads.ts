/**
 * What each notifier type sends for an event: a signed JSON webhook or a Slack incoming-webhook text.
 * Pure: the dispatcher sends what these build.
 */
import { createHmac } from 'node:crypto';
import { endpointUrl } from '../health/check-readers';
import { TEST_EVENT, type DeliveredEvent } from './notification';
import type { NotifierSpec } from './notifier-manifest';

/** The header carrying `sha256=<hex HMAC-SHA256 of the body>` when a webhook has a secret. */
export const SIGNATURE_HEADER = 'x-maintenance-signature';
/** The header carrying the delivery id, the same across retries, so a receiver can drop duplicates. */
export const DELIVERY_HEADER = 'x-maintenance-delivery';

/** A request ready to send, retried as it is. */
export interface PreparedRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** `sha256=` + the hex HMAC-SHA256 of `body` under `secret`. */
export function signature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** The request a webhook or slack notifier sends for one event; null for types that take no events. */
export function requestFor(notifier: NotifierSpec, event: DeliveredEvent, id: string): PreparedRequest | null {
  if (notifier.type === 'webhook') return webhookRequest(notifier, event, id);
  if (notifier.type === 'slack') return slackRequest(notifier, event, id);
  return null;
}

function webhookRequest(notifier: NotifierSpec, event: DeliveredEvent, id: string): PreparedRequest {
  const body = JSON.stringify({
    id,
    event: event.event,
    at: new Date(event.at).toISOString(),
    scenario: event.scenario ?? null,
    actor: event.actor ?? null,
    reason: event.reason ?? null,
    message: event.message,
    data: event.data ?? {},
  });
  const headers: Record<string, string> = { 'content-type': 'application/json', [DELIVERY_HEADER]: id, 'x-maintenance-event': event.event };
  if (notifier.secret) headers[SIGNATURE_HEADER] = signature(body, notifier.secret);
  return { url: notifier.url, headers, body };
}

/** Slack's incoming webhooks take `{text}`; the text names the event, the scenario, the actor and the reason. */
export function slackText(event: Omit<DeliveredEvent, 'at'>): string {
  const parts = [`*${event.event}*`];
  if (event.scenario) parts.push(`scenario \`${event.scenario}\``);
  parts.push(`by ${event.actor ?? 'system'}`);
  if (event.reason) parts.push(`reason: ${event.reason}`);
  return `${parts.join(' · ')}\n${event.message}`;
}

function slackRequest(notifier: NotifierSpec, event: DeliveredEvent, id: string): PreparedRequest {
  return { url: notifier.url, headers: { 'content-type': 'application/json', [DELIVERY_HEADER]: id }, body: JSON.stringify({ text: slackText(event) }) };
}

/** How long the alertmanager notifier's test alert fires: long enough to find it in Alertmanager, short enough to be gone soon after. */
export const TEST_ALERT_MS = 5 * 60_000;

/**
 * What `notifier test` sends: the `notifier.test` event to a webhook or slack notifier, and to an
 * alertmanager notifier a `MaintenanceNotifierTest` alert that resolves by itself after TEST_ALERT_MS.
 */
export function testRequest(notifier: NotifierSpec, actor: string, at: number, id: string): PreparedRequest {
  const message = `test notification from maintenance-orchestrator to notifier ${notifier.name}, sent by ${actor}`;
  if (notifier.type !== 'alertmanager') return requestFor(notifier, { event: TEST_EVENT, actor, message, at, data: { notifier: notifier.name } }, id) as PreparedRequest;
  const alert = {
    labels: { alertname: 'MaintenanceNotifierTest', notifier: notifier.name, source: 'maintenance-orchestrator' },
    annotations: { summary: message },
    startsAt: new Date(at).toISOString(),
    endsAt: new Date(at + TEST_ALERT_MS).toISOString(),
  };
  return { url: endpointUrl(notifier.url, 'api/v2/alerts').toString(), headers: { 'content-type': 'application/json', [DELIVERY_HEADER]: id }, body: JSON.stringify([alert]) };
}
