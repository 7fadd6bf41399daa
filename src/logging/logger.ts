/**
 * Structured logs: one JSON line per event on stdout (pino), human-readable through pino-pretty when stdout
 * is a terminal. Every line carries a `category` from the activity log's closed set, so `logs --filter`
 * and a log shipper's query speak the same words.
 */
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { ActivityEntry } from '../activity/activity';
import type { Config } from '../config/config';

export type { Logger } from 'pino';

/** How to build the process logger. */
export interface LoggerSetup {
  level: Config['logLevel'];
  /** Where lines go; stdout when absent. Tests pass a stream to read the lines back. */
  destination?: DestinationStream;
  /** Pretty-print; by default only when stdout is a terminal and pino-pretty is installed. */
  pretty?: boolean;
}

/** One line per event on a terminal too: time, level, category and scenario up front, details after. */
const PRETTY_OPTIONS = {
  colorize: true,
  singleLine: true,
  translateTime: 'SYS:HH:MM:ss.l',
  messageFormat: '{category}{if scenario} {scenario}{end}: {msg}',
  ignore: 'pid,hostname,activityId,category,scenario',
};

/** Builds the logger. JSON lines go through an asynchronous buffer so logging never blocks the loop. */
export function createLogger(setup: LoggerSetup): Logger {
  const options: LoggerOptions = {
    level: setup.level,
    timestamp: pino.stdTimeFunctions.isoTime,
    // Lines that do not name a category come from the framework or the process itself.
    mixin: (mergeObject: object) => ('category' in mergeObject ? {} : { category: 'system' }),
  };
  if (setup.destination) return pino({ ...options, formatters: { level: (label) => ({ level: label }) } }, setup.destination);
  if (setup.level === 'silent') return pino(options);
  const pretty = setup.pretty ?? (process.stdout.isTTY === true && isInstalled('pino-pretty'));
  if (pretty) {
    // The transport runs in a worker thread: formatting costs the loop nothing either.
    return pino({ ...options, transport: { target: 'pino-pretty', options: PRETTY_OPTIONS } });
  }
  return pino({ ...options, formatters: { level: (label) => ({ level: label }) } }, pino.destination({ dest: 1, sync: false }));
}

/** The log line of an activity entry: same category, scenario, preset and actor as the stored entry. */
export function activityLogger(logger: Logger): (entry: ActivityEntry) => void {
  return (entry) => {
    if (!logger.isLevelEnabled(entry.level)) return;
    const fields: Record<string, unknown> = { category: entry.category, activityId: entry.id };
    // Nulls are left out: most entries name only some of these, and lines stay short.
    if (entry.scenario !== null) fields.scenario = entry.scenario;
    if (entry.preset !== null) fields.preset = entry.preset;
    if (entry.actor !== null) fields.actor = entry.actor;
    if (entry.data !== null) fields.data = entry.data;
    logger[entry.level](fields, entry.message);
  };
}

/** Writes what is buffered; called at shutdown so the last lines are not lost. */
export function flushLogger(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    try {
      logger.flush(() => resolve());
    } catch {
      // A destination without flush support (a plain stream) has nothing buffered here.
      resolve();
    }
  });
}

function isInstalled(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}
