/**
 * Decisions across time (issue 18) at the fleet size of the run, with 50 schedules declared: `explain`
 * latency (one request at a time, as a person or the dashboard asks; half of them at an instant ahead),
 * `plan --at` for the whole fleet, and the 7-day timeline. The schedules are removed afterwards.
 */
import { boundRow, type SuiteContext } from '../support/context';
import { request, requestOk } from '../support/http';
import type { OrchestratorChild } from '../support/orchestrator';
import { summarize } from '../support/stats';

/** How many schedules the timeline figure is taken with (issue 18: "7 days with 50 schedules"). */
export const BENCH_SCHEDULES = 50;

const ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'UTC', 'Asia/Kolkata'];

/**
 * Fifty windows of every kind, none of which activates anything in the bench fleet: deny windows over
 * `security` and `full`, blackouts, and allow windows over `performance` (no bench scenario has its tags).
 * Daily, weekday and weekly crons, one-off windows, in zones with whole, half-hour and 30-minute DST offsets.
 */
export function benchSchedules(): Record<string, unknown>[] {
  return Array.from({ length: BENCH_SCHEDULES }, (_, index) => {
    const timeZone = ZONES[index % ZONES.length];
    const cron = [`0 ${index % 24} * * *`, `30 ${index % 24} * * 1-5`, `15 ${index % 24} * * ${index % 7}`][index % 3];
    const timing = index % 10 === 9 ? { at: `2027-01-${String((index % 28) + 1).padStart(2, '0')}T02:00` } : { cron };
    const duration = `${(index % 4) + 1}h`;
    if (index % 5 === 0) return { name: `bench-blackout-${index}`, kind: 'blackout', ...timing, duration, timeZone };
    if (index % 5 === 1) return { name: `bench-allow-${index}`, kind: 'allow', preset: 'performance', ...timing, duration, timeZone };
    return { name: `bench-deny-${index}`, kind: 'deny', preset: index % 5 === 2 ? 'full' : 'security', ...timing, duration, timeZone };
  });
}

/** Explain p99, plan --at and the timeline, on a settled orchestrator of `n` scenarios. */
export async function runExplain(ctx: SuiteContext, orchestrator: OrchestratorChild, n: number): Promise<void> {
  const schedules = benchSchedules();
  for (const schedule of schedules) await requestOk(`${orchestrator.api}/schedules/${schedule.name}`, { method: 'PUT', body: schedule });
  try {
    const samples = ctx.options.explainSamples;
    const ids = Array.from({ length: samples }, (_, index) => `bench-${String(((index * 7919) % n) + 1).padStart(5, '0')}`);
    const explainOnce = async (id: string, index: number) => {
      const query = index % 2 === 0 ? '' : '?at=%2B3h';
      const reply = await request(`${orchestrator.api}/scenarios/${id}/explain${query}`, { timeoutMs: 30_000 });
      if (reply.status !== 200) throw new Error(`GET /scenarios/${id}/explain: HTTP ${reply.status} ${reply.text.slice(0, 200)}`);
      return reply.ms;
    };
    for (let i = 0; i < Math.min(10, samples); i++) await explainOnce(ids[i], i);
    const explainTimes: number[] = [];
    for (let i = 0; i < samples; i++) explainTimes.push(await explainOnce(ids[i], i));
    const explain = summarize(explainTimes);
    ctx.log(`explain N=${n}: p50 ${explain.p50.toFixed(1)} ms, p99 ${explain.p99.toFixed(1)} ms over ${samples}`);

    const planTimes: number[] = [];
    let planBytes = 0;
    for (let i = 0; i < ctx.options.explainRepeats + 1; i++) {
      const reply = await requestOk(`${orchestrator.api}/plan`, { method: 'POST', body: { at: i % 2 === 0 ? 'tomorrow 02:00' : '+3h', tz: 'Europe/Berlin' }, timeoutMs: 60_000 });
      if (i > 0) planTimes.push(reply.ms);
      planBytes = reply.bytes;
    }
    const planned = summarize(planTimes);
    ctx.log(`plan --at N=${n}: p50 ${planned.p50.toFixed(1)} ms, max ${planned.max.toFixed(1)} ms, ${planBytes} bytes`);

    const timelineTimes: number[] = [];
    let entries = 0;
    for (let i = 0; i < ctx.options.explainRepeats + 1; i++) {
      const reply = await requestOk(`${orchestrator.api}/timeline`, { timeoutMs: 30_000 });
      if (i > 0) timelineTimes.push(reply.ms);
      entries = (JSON.parse(reply.text) as { entries: unknown[] }).entries.length;
    }
    const timeline = summarize(timelineTimes);
    ctx.log(`timeline 7 days, ${BENCH_SCHEDULES} schedules: p50 ${timeline.p50.toFixed(1)} ms, max ${timeline.max.toFixed(1)} ms, ${entries} entries`);

    const applies = n === ctx.options.targetN;
    ctx.rows.push(
      boundRow({ id: 'explain.p99', figure: '12 GET /scenarios/{id}/explain p99 (50 schedules)', n, unit: 'ms', ours: explain.p99, baseline: null, baselineLabel: null, note: `one at a time, half with ?at=+3h; p50 ${explain.p50.toFixed(1)} ms over ${samples}`, details: { summary: explain } }, { below: 20, applies }),
      boundRow({ id: 'explain.planAt', figure: '12 POST /plan {at} for the whole fleet (max)', n, unit: 'ms', ours: planned.max, baseline: null, baselineLabel: null, note: `p50 ${planned.p50.toFixed(1)} ms over ${planTimes.length}; answer ${(planBytes / 1024).toFixed(0)} KiB`, details: { summary: planned, bytes: planBytes } }, { below: 500, applies }),
      boundRow({ id: 'explain.timeline', figure: '12 GET /timeline, 7 days, 50 schedules (max)', n, unit: 'ms', ours: timeline.max, baseline: null, baselineLabel: null, note: `p50 ${timeline.p50.toFixed(1)} ms over ${timelineTimes.length}; ${entries} entries`, details: { summary: timeline, entries } }, { below: 100, applies }),
    );
  } finally {
    for (const schedule of schedules) await request(`${orchestrator.api}/schedules/${schedule.name}`, { method: 'DELETE' });
  }
}
