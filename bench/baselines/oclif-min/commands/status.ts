/** The CLI baseline's only command: `oclif-min status --json` prints a constant object, with no I/O. */
import { Command } from '@oclif/core';

/** Prints a constant status object. */
export default class Status extends Command {
  static override summary = 'Print a constant status object.';
  static override enableJsonFlag = true;

  override async run(): Promise<{ health: string; totalScenarios: number }> {
    const status = { health: 'healthy', totalScenarios: 0 };
    this.log(`health: ${status.health}`);
    return status;
  }
}
