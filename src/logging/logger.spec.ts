/** The structured log lines: one JSON object per event, always with a category, at the entry's level. */
import type { ActivityEntry } from '../activity/activity';
import { redactUrl } from './http-logging';
import { activityLogger, createLogger, flushLogger } from './logger';

function capture(level: 'debug' | 'info' | 'warn' | 'error' | 'silent') {
  const lines: string[] = [];
  const logger = createLogger({ level, destination: { write: (line: string) => void lines.push(line) } });
  return { logger, lines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

function entry(patch: Partial<ActivityEntry> = {}): ActivityEntry {
  return { id: 7, timestamp: '2030-01-01T00:00:00.000Z', category: 'action', level: 'info', message: 'activated (preset full) in 12 ms', scenario: 'backup', preset: null, actor: 'system', data: { durationMs: 12 }, ...patch };
}

describe('activityLogger', () => {
  it('writes one line per entry with its category, level, scenario and data, leaving nulls out', () => {
    const { logger, lines } = capture('info');
    activityLogger(logger)(entry());
    expect(lines()).toEqual([
      expect.objectContaining({ level: 'info', category: 'action', activityId: 7, scenario: 'backup', actor: 'system', data: { durationMs: 12 }, msg: 'activated (preset full) in 12 ms', time: expect.any(String) }),
    ]);
    expect(lines()[0]).not.toHaveProperty('preset');
  });

  it.each([
    ['debug', ['info', 'warn', 'error']],
    ['info', ['info', 'warn', 'error']],
    ['warn', ['warn', 'error']],
    ['error', ['error']],
    ['silent', []],
  ] as const)('at LOG_LEVEL %s keeps %j entries', (level, kept) => {
    const { logger, lines } = capture(level);
    const log = activityLogger(logger);
    for (const severity of ['info', 'warn', 'error'] as const) log(entry({ level: severity, category: 'gate' }));
    expect(lines().map((line) => line.level)).toEqual(kept);
  });
});

describe('createLogger', () => {
  it('gives lines without a category the system category', () => {
    const { logger, lines } = capture('debug');
    logger.debug({ context: 'RoutesResolver' }, 'mapped routes');
    logger.info({ category: 'api' }, 'GET /api/v1/status 200');
    expect(lines().map((line) => [line.category, line.level])).toEqual([
      ['system', 'debug'],
      ['api', 'info'],
    ]);
  });

  it('flushes without a flushable destination', async () => {
    const { logger } = capture('info');
    await expect(flushLogger(logger)).resolves.toBeUndefined();
  });
});

describe('redactUrl', () => {
  it.each([
    ['/api/v1/events?token=abc&category=action', '/api/v1/events?token=[redacted]&category=action'],
    ['/api/v1/events?category=action&TOKEN=abc', '/api/v1/events?category=action&TOKEN=[redacted]'],
    ['/api/v1/status', '/api/v1/status'],
    ['/api/v1/scenarios?tokens=1', '/api/v1/scenarios?tokens=1'],
  ])('%s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});
