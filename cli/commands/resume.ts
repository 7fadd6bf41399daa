/** `resume`: lifts the emergency stop. Nothing comes back on its own except open allow windows. */
import type { ResumeResult } from '../api-types';
import { BaseCommand } from '../base-command';

/** Lifts the stop-all latch. */
export default class Resume extends BaseCommand<typeof Resume> {
  static override summary = 'Lift the emergency stop (nothing is re-activated: apply a preset or activate scenarios).';
  static override examples = ['<%= config.bin %> <%= command.id %>'];

  override async run(): Promise<ResumeResult> {
    const result = await this.client.resume();
    this.log(result.wasStopped ? 'emergency stop lifted; nothing was re-activated: apply a preset or activate scenarios' : 'no emergency stop was active');
    return result;
  }
}
