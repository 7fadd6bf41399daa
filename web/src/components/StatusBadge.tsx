/** The status indicator: colour, glyph and word together, so it reads without colour too. */
import { STATUS_LABEL, type StatusKind } from '../lib/status';

/** One badge. */
export function StatusBadge({ kind }: { kind: StatusKind }) {
  const { text, glyph } = STATUS_LABEL[kind];
  return (
    <span class={`status status-${kind}`} data-status={kind}>
      <span class="status-glyph" aria-hidden="true">
        {glyph}
      </span>
      {text}
    </span>
  );
}
