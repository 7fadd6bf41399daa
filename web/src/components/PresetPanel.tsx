/** One-click presets: a click asks the server for a dry run and opens the confirmation with its plan. */
import { useState } from 'preact/hooks';
import { roleHint, useCan } from '../live/access';
import { api, errorMessage } from '../api/client';
import type { ChangePlan, Preset } from '../api/types';
import { useDashboard } from '../live/dashboard';
import { useResource } from '../live/resource';
import { Loaded, Panel } from './Panel';
import { PresetDialog } from './PresetDialog';

/** The preset buttons and, while confirming, the dialog. */
export function PresetPanel() {
  // What the token's role may not do is disabled, not left to fail with 403 (SPEC 8).
  const canOperate = useCan('operator');
  const dashboard = useDashboard();
  const state = useResource(dashboard.presets);
  // The status is what follows the server live (refetched on every intent, stop and resume); a preset's own
  // isActive is only as fresh as the list, which changes rarely.
  const applied = new Set(useResource(dashboard.status).data?.appliedPresets ?? []);
  const [planning, setPlanning] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<{ preset: Preset; plan: ChangePlan } | null>(null);
  const plan = async (preset: Preset) => {
    if (planning !== null) return;
    setPlanning(preset.id);
    try {
      setConfirming({ preset, plan: await api.planPreset(preset.id) });
    } catch (error: unknown) {
      dashboard.notify('error', `Cannot apply ${preset.name}: ${errorMessage(error)}`);
    } finally {
      setPlanning(null);
    }
  };
  return (
    <Panel id="presets" title="Presets">
      <Loaded state={state} retry={() => dashboard.presets.refresh()} what="presets">
        {(presets) =>
          presets.length === 0 ? (
            <p class="empty">No presets. Create one with `maintenance-orchestrator preset create`.</p>
          ) : (
            <ul class="presets">
              {presets.map((preset) => {
                const isApplied = applied.has(preset.id);
                return (
                  <li key={preset.id} class={`preset ${isApplied ? 'preset-applied' : ''}`} data-preset={preset.id}>
                    <button type="button" class="button preset-button" onClick={() => plan(preset)} disabled={!canOperate} title={canOperate ? undefined : roleHint('operator')} aria-busy={planning === preset.id} aria-describedby={`preset-${preset.id}-desc`}>
                      {planning === preset.id ? 'Planning…' : `Apply ${preset.name}`}
                    </button>
                    <span id={`preset-${preset.id}-desc`} class="preset-desc">
                      {isApplied && <span class="chip chip-on">applied</span>} <span class="preset-text">{preset.description}</span>
                    </span>
                  </li>
                );
              })}
            </ul>
          )
        }
      </Loaded>
      {confirming && <PresetDialog preset={confirming.preset} plan={confirming.plan} onClose={() => setConfirming(null)} />}
    </Panel>
  );
}
