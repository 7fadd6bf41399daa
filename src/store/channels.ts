/**
 * The LISTEN/NOTIFY channels of what replicas share besides the desired state (SPEC 9): each write of one of
 * these sends a notice on its channel in the write's transaction, and every replica reads it back.
 */
export const CHANNELS = {
  presets: 'maintenance_presets',
  schedules: 'maintenance_schedules',
  policy: 'maintenance_policy',
  notifiers: 'maintenance_notifiers',
} as const;

/** What a replica follows: one of CHANNELS. */
export type SharedKind = keyof typeof CHANNELS;
