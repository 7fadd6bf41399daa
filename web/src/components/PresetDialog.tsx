/** The confirmation before a preset is applied: what will be activated, deactivated and blocked, from a dry run. */
import { useState } from 'preact/hooks';
import { api, errorMessage } from '../api/client';
import type { ChangePlan, Preset, PresetChangeResult } from '../api/types';
import { useDashboard } from '../live/dashboard';
import { Dialog } from './Dialog';

function IdList({ title, ids, testId }: { title: string; ids: string[]; testId: string }) {
  if (ids.length === 0) return null;
  return (
    <section class="plan-group" data-testid={testId}>
      <h3>
        {title} ({ids.length})
      </h3>
      <ul>
        {ids.map((id) => (
          <li key={id}>
            <code>{id}</code>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** One sentence saying what happened, with failures and gates named. */
export function describeOutcome(result: PresetChangeResult): { kind: 'success' | 'warning'; text: string } {
  const parts = [`activated ${result.activated.length}`, `deactivated ${result.deactivated.length}`];
  if (result.blocked.length) parts.push(`blocked ${result.blocked.length} (${result.blocked.map((item) => `${item.scenario}: ${item.reason}`).join(', ')})`);
  const failed = result.failed ?? [];
  if (failed.length) parts.push(`failed ${failed.length} (${failed.map((item) => item.scenario).join(', ')})`);
  return { kind: failed.length || result.blocked.length ? 'warning' : 'success', text: `Preset ${result.preset} applied: ${parts.join(', ')}.` };
}

/** Props: the preset and the plan its dry run returned. */
export function PresetDialog({ preset, plan, onClose }: { preset: Preset; plan: ChangePlan; onClose(): void }) {
  const dashboard = useDashboard();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const nothing = plan.activate.length === 0 && plan.deactivate.length === 0 && plan.blocked.length === 0;
  const apply = async () => {
    setBusy(true);
    setError(null);
    try {
      const outcome = describeOutcome(await api.applyPreset(preset.id));
      dashboard.notify(outcome.kind, outcome.text);
      dashboard.afterAction();
      onClose();
    } catch (caught: unknown) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  };
  return (
    <Dialog id="preset-plan" title={`Apply preset “${preset.name}”?`} onClose={onClose}>
      <p class="muted">Applying replaces the applied presets with this one and clears per-scenario overrides.</p>
      <div class="plan">
        <IdList title="Will activate" ids={plan.activate} testId="plan-activate" />
        <IdList title="Will deactivate" ids={plan.deactivate} testId="plan-deactivate" />
        {plan.blocked.length > 0 && (
          <section class="plan-group" data-testid="plan-blocked">
            <h3>Blocked ({plan.blocked.length})</h3>
            <ul>
              {plan.blocked.map((item) => (
                <li key={item.scenario}>
                  <code>{item.scenario}</code> <strong>{item.reason}</strong>
                  {item.message ? `: ${item.message}` : ''}
                </li>
              ))}
            </ul>
          </section>
        )}
        {nothing && <p>Nothing would change: the scenarios of this preset are already in the state it declares.</p>}
      </div>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <div class="dialog-actions">
        <button type="button" class="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" class="button primary" data-autofocus onClick={apply} disabled={busy}>
          {busy ? 'Applying…' : `Apply ${preset.name}`}
        </button>
      </div>
    </Dialog>
  );
}
