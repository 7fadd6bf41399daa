/** `kind: Schedule` manifests for `apply -f`: metadata.name plus the schedule fields under spec. */
import { DomainError } from '../common/domain-error';
import type { RawManifest } from '../presets/manifest';
import type { KindHandler } from '../state/manifest-applier';
import type { ScheduleService } from './schedule.service';
import type { ScheduleSpec } from './schedule';

/** Validates and applies Schedule documents through the schedule service (create or replace). */
export function scheduleKindHandler(schedules: ScheduleService): KindHandler {
  return {
    validate(manifest: RawManifest): ScheduleSpec {
      const input = { timeZone: 'UTC', kind: 'allow', ...manifest.spec, name: manifest.metadata.name };
      try {
        return schedules.validate(input);
      } catch (error) {
        if (error instanceof DomainError) {
          throw new DomainError('Invalid', `${manifest.file}:${manifest.lineOf(['spec'])}: Schedule ${String(manifest.metadata.name)}: ${error.message}`, error.details);
        }
        throw error;
      }
    },
    async apply(value: unknown, options: { actor: string; dryRun: boolean }): Promise<string> {
      const spec = value as ScheduleSpec;
      if (options.dryRun) return `would save schedule ${spec.name}`;
      const view = await schedules.save(spec, options.actor, true);
      return `schedule ${spec.name} saved; ${view.open ? `open until ${view.closesAt}` : `next opens ${view.nextOpen}`}`;
    },
  };
}
