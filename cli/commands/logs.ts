/** `logs`: the activity log (discovery, reconcile, actions, gates, API intents), optionally followed live. */
import { Flags, ux } from '@oclif/core';
import type { ActivityEntry, ActivityPage } from '../api-types';
import { BaseCommand } from '../base-command';
import { EXIT } from '../errors';
import { activityLine } from '../format';

/** Prints activity entries oldest first; --follow streams new ones as they happen. */
export default class Logs extends BaseCommand<typeof Logs> {
  static override summary = 'Show the activity log; --follow streams new entries.';
  static override description = `Each entry is one line: timestamp category scenario actor message.
Categories: discovery, reconcile, action, gate, schedule, api, system. With --json and --follow, one JSON object per line.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> --filter discovery',
    '<%= config.bin %> <%= command.id %> --scenario code-smell --since 1h',
    '<%= config.bin %> <%= command.id %> --follow',
  ];
  static override flags = {
    filter: Flags.string({ summary: 'Only this category (discovery, reconcile, action, gate, schedule, api, system).', helpValue: '<category>' }),
    scenario: Flags.string({ summary: 'Only entries about this scenario.' }),
    since: Flags.string({ summary: 'Only entries since a duration ago (1h, 30m) or an ISO time.' }),
    limit: Flags.integer({ summary: 'At most this many past entries (default 50; 10 with --follow).', min: 1, max: 1000 }),
    follow: Flags.boolean({ char: 'f', summary: 'Keep streaming new entries until interrupted.', default: false }),
  };

  override async run(): Promise<ActivityPage | void> {
    const { filter, scenario, since, follow } = this.flags;
    const limit = this.flags.limit ?? (follow ? 10 : 50);
    if (!follow) {
      const page = await this.client.activity({ category: filter, scenario, since, limit });
      this.log(page.entries.length ? [...page.entries].reverse().map(activityLine).join('\n') : 'no activity matches');
      return page;
    }
    // Subscribe before reading the history, so nothing that happens in between is lost; ids drop the overlap.
    const stream = await this.client.events({ category: filter, scenario });
    const page = await this.client.activity({ category: filter, scenario, since, limit });
    let lastId = 0;
    for (const entry of [...page.entries].reverse()) lastId = this.print(entry, lastId);
    ux.stderr(`following activity at ${this.client.url} (Ctrl-C to stop)`);
    for await (const event of stream) {
      if (event.event !== 'activity') continue;
      lastId = this.print(JSON.parse(event.data) as ActivityEntry, lastId);
    }
    this.fail(`the orchestrator at ${this.client.url} closed the event stream`, EXIT.failure);
  }

  /** Prints an entry newer than `lastId` and returns the new last id. */
  private print(entry: ActivityEntry, lastId: number): number {
    if (entry.id <= lastId) return lastId;
    // NDJSON under --json: this.log is silent then, and one object per line is what a pipe wants.
    ux.stdout(this.jsonEnabled() ? JSON.stringify(entry) : activityLine(entry));
    return entry.id;
  }
}
