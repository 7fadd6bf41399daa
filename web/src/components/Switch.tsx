/** An on/off switch that is a real button: Space and Enter toggle it, aria-checked says its state. */

/** Props: `checked` is the declared (desired) state; `busy` while the request runs. */
export interface SwitchProps {
  label: string;
  checked: boolean;
  busy: boolean;
  disabled?: boolean;
  onToggle(): void;
}

/** The switch; its visible text repeats the state for those who cannot tell the knob's side. */
export function Switch({ label, checked, busy, disabled, onToggle }: SwitchProps) {
  // Busy is aria-disabled, not disabled: a disabled button drops keyboard focus mid-action.
  return (
    <button
      type="button"
      role="switch"
      class="switch"
      aria-checked={checked}
      aria-label={label}
      aria-busy={busy}
      aria-disabled={busy}
      disabled={disabled}
      onClick={() => !busy && onToggle()}
    >
      <span class="switch-track" aria-hidden="true">
        <span class="switch-knob" />
      </span>
      <span class="switch-text" aria-hidden="true">
        {busy ? '…' : checked ? 'On' : 'Off'}
      </span>
    </button>
  );
}
