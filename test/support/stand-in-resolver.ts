/** A stand-in `vrooli` command for PORT_RESOLVER tests: a real script, so tests exercise real processes. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * A stand-in for `vrooli scenario port {name} API_PORT`: a real bash script whose behaviour the test picks by
 * writing `mode`; every start and end is appended to `calls`, so tests count real invocations.
 */
const STAND_IN = `#!/usr/bin/env bash
dir="$(dirname "$0")"
echo "start $3 $$" >> "$dir/calls"
case "$(cat "$dir/mode")" in
  slow) sleep 30 & echo $! > "$dir/child.pid"; wait ;;
  orphan) echo 4321; sleep 30 & echo $! > "$dir/child.pid"; exit 0 ;;
  fail) printf '  \\n  Error: scenario %s is not running\\n\\thint: vrooli scenario start %s\\n\\n' "$3" "$3" >&2; exit 2 ;;
  noisy) head -c 5000 /dev/zero | tr '\\0' 'e' >&2; exit 1 ;;
  junk) echo "<html>$(head -c 500 /dev/zero | tr '\\0' 'j')</html>" ;;
  works) cat "$dir/port" ;;
  overlap) sleep 1 ;;
esac
echo "end $3 $$" >> "$dir/calls"
`;

/** A written stand-in: its folder, the PORT_RESOLVER template that runs it, and its controls. */
export interface StandIn {
  dir: string;
  template: string;
  /** Picks what the next runs do: works, slow, orphan, fail, noisy, junk, overlap. */
  set: (mode: string) => void;
  /** One `start <id> <pid>` line per invocation so far. */
  calls: () => string[];
  remove: () => void;
}

/** Writes the stand-in into a fresh temp dir (a path with a space, as real install paths may have). */
export function writeStandIn(port = 4321): StandIn {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'port resolver-'));
  const script = path.join(dir, 'vrooli');
  fs.writeFileSync(script, STAND_IN, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'port'), `${port}\n`);
  fs.writeFileSync(path.join(dir, 'calls'), '');
  return {
    dir,
    template: `"${script}" scenario port {name} API_PORT`,
    set: (mode) => fs.writeFileSync(path.join(dir, 'mode'), mode),
    calls: () => fs.readFileSync(path.join(dir, 'calls'), 'utf8').split('\n').filter((line) => line.startsWith('start')),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
