import { canonicalTimeZone, ZoneClock } from './zone';

const local = (iso: string): number => Date.parse(`${iso}Z`);

describe('ZoneClock.resolve: one instant for every wall-clock time', () => {
  it.each([
    ['Europe/Berlin', '2026-03-29T01:59:00', 'single', '2026-03-29T00:59:00.000Z'],
    ['Europe/Berlin', '2026-03-29T02:00:00', 'gap', '2026-03-29T01:00:00.000Z'],
    ['Europe/Berlin', '2026-03-29T02:59:00', 'gap', '2026-03-29T01:00:00.000Z'],
    ['Europe/Berlin', '2026-03-29T03:00:00', 'single', '2026-03-29T01:00:00.000Z'],
    ['Europe/Berlin', '2026-10-25T02:30:00', 'ambiguous', '2026-10-25T00:30:00.000Z'],
    ['Europe/Berlin', '2026-10-25T03:00:00', 'single', '2026-10-25T02:00:00.000Z'],
    ['America/New_York', '2026-03-08T02:30:00', 'gap', '2026-03-08T07:00:00.000Z'],
    ['America/New_York', '2026-11-01T01:30:00', 'ambiguous', '2026-11-01T05:30:00.000Z'],
    ['Australia/Lord_Howe', '2026-10-04T02:15:00', 'gap', '2026-10-03T15:30:00.000Z'],
    ['Asia/Tokyo', '2026-03-29T02:30:00', 'single', '2026-03-28T17:30:00.000Z'],
  ])('%s %s is %s at %s', (zone, wallClock, kind, instant) => {
    const resolved = new ZoneClock(zone).resolve(local(wallClock));
    expect({ kind: resolved.kind, instant: new Date(resolved.instant).toISOString() }).toEqual({ kind, instant });
  });

  it('reads the offset and wall clock at an instant', () => {
    const clock = new ZoneClock('Europe/Berlin');
    expect(clock.offsetAt(Date.parse('2026-07-01T00:00:00Z'))).toBe(7_200_000);
    expect(new Date(clock.localOf(Date.parse('2026-01-01T23:30:00.250Z'))).toISOString()).toBe('2026-01-02T00:30:00.250Z');
  });

  it('lists offset changes between two instants', () => {
    const changes = new ZoneClock('Europe/Berlin').transitions(Date.parse('2026-01-01T00:00:00Z'), Date.parse('2027-01-01T00:00:00Z'));
    expect(changes.map((change) => [new Date(change.at).toISOString(), change.before / 3_600_000, change.after / 3_600_000])).toEqual([
      ['2026-03-29T01:00:00.000Z', 1, 2],
      ['2026-10-25T01:00:00.000Z', 2, 1],
    ]);
  });
});

describe('canonicalTimeZone', () => {
  it.each([
    ['Europe/Berlin', 'Europe/Berlin'],
    ['europe/berlin', 'Europe/Berlin'],
    ['UTC', 'UTC'],
    ['Mars/Base', null],
    ['', null],
  ])('%p -> %p', (input, expected) => {
    expect(canonicalTimeZone(input)).toBe(expected);
  });
});
