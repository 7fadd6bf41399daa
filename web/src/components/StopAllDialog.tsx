/** STOP ALL asks why: the reason is recorded with the actor and shown to everyone until resume. */
import { useState } from 'preact/hooks';
import { api, errorMessage, hasToken } from '../api/client';
import { useDashboard } from '../live/dashboard';
import { useCell } from '../live/resource';
import { actorLabel } from '../lib/actor';
import { Dialog } from './Dialog';

/** Props: closes itself after the stop or on cancel. */
export function StopAllDialog({ onClose }: { onClose(): void }) {
  const dashboard = useDashboard();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const recordedAs = actorLabel({ token: hasToken, name: useCell(dashboard.actorName) });
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!reason.trim()) {
      setError(`Say why: the reason is recorded with your name (${recordedAs}) and shown until someone resumes.`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await api.stopAll(reason.trim());
      const still = result.stillActive.length ? `; still active: ${result.stillActive.join(', ')}` : '';
      dashboard.notify(result.stillActive.length ? 'warning' : 'success', `Emergency stop: ${result.deactivated.length} deactivated${still}.`);
      dashboard.afterAction();
      onClose();
    } catch (caught: unknown) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  };
  return (
    <Dialog id="stop-all" title="Stop all maintenance" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p>Every scenario is driven inactive, applied presets and overrides are cleared, and nothing activates until someone resumes.</p>
        <label class="field">
          <span>Reason (recorded with your name: {recordedAs})</span>
          <input
            data-autofocus
            name="reason"
            value={reason}
            maxLength={500}
            required
            aria-invalid={error !== null}
            aria-describedby={error ? 'stop-all-error' : undefined}
            onInput={(event) => setReason(event.currentTarget.value)}
          />
        </label>
        {error && (
          <p id="stop-all-error" class="form-error" role="alert">
            {error}
          </p>
        )}
        <div class="dialog-actions">
          <button type="button" class="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="button danger" disabled={busy}>
            {busy ? 'Stopping…' : 'Stop all'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
