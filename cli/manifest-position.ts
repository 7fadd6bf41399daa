/**
 * Where in the user's file an unknown name sits. The server names the file and line itself when it can; when
 * it reports only the name (`unknownScenario` / `unknownPreset`), the CLI, which holds the text, finds the line.
 */
import { parseManifests } from '../src/presets/manifest';
import type { ApiErrorBody } from './api-types';

/**
 * The server's message prefixed with `file:line: field:` of the MaintenanceState entry naming the unknown
 * scenario or preset; null when the message already starts with the file, or nothing in the text names it.
 */
export function locateUnknownName(body: ApiErrorBody, text: string, source: string): string | null {
  if (body.message.startsWith(`${source}:`)) return null;
  const scenario = typeof body.unknownScenario === 'string' ? body.unknownScenario : null;
  const preset = typeof body.unknownPreset === 'string' ? body.unknownPreset : null;
  if (!scenario && !preset) return null;
  let manifests: ReturnType<typeof parseManifests>;
  try {
    manifests = parseManifests(text, source);
  } catch {
    return null;
  }
  for (const manifest of manifests) {
    if (manifest.kind !== 'MaintenanceState') continue;
    const path = scenario ? overridePath(manifest.spec, scenario) : presetPath(manifest.spec, preset as string);
    if (path) return `${source}:${manifest.lineOf(path)}: ${path.join('.')}: ${body.message}`;
  }
  return null;
}

function overridePath(spec: Record<string, unknown>, id: string): (string | number)[] | null {
  const overrides = spec.overrides;
  return typeof overrides === 'object' && overrides !== null && Object.hasOwn(overrides, id) ? ['spec', 'overrides', id] : null;
}

function presetPath(spec: Record<string, unknown>, id: string): (string | number)[] | null {
  const index = Array.isArray(spec.presets) ? spec.presets.indexOf(id) : -1;
  return index >= 0 ? ['spec', 'presets', index] : null;
}
