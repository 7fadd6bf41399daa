/** The safety policy in force: from POLICY_FILE when given, else the stored one, else manifests/policy.yaml. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ActivitySink } from '../activity/activity';
import { DomainError } from '../common/domain-error';
import { API_VERSION, ManifestError, parseManifests } from '../presets/manifest';
import { DEFAULT_POLICY, policyFromManifest, type Policy } from '../presets/schema';
import { CHANNELS } from '../store/channels';
import { OwnWrites } from '../store/own-writes';
import type { SettingRepository } from '../store/store.port';

const POLICY_KEY = 'policy';

/** Holds the policy; every pass reads it, PUT /policy and `policy apply` replace it. */
export class PolicyService {
  private policy: Policy = DEFAULT_POLICY;
  private source = 'built-in defaults';
  /** The stored policy as last read or written here, as text: another text in the store is another replica's write. */
  private storedText = 'null';
  /** This replica's policy writes (a read of the store during one is older than what is held). */
  readonly writes = new OwnWrites();

  constructor(
    private readonly settings: SettingRepository,
    private readonly activity: ActivitySink,
  ) {}

  /** Loads at boot. An explicit file wins over the stored policy, which wins over the shipped file. */
  async load(policyFile: string | null, manifestsDir: string): Promise<void> {
    const stored = await this.read();
    // Noted even when a file wins at boot: a later write through any replica replaces the file's policy.
    this.storedText = JSON.stringify(stored);
    if (policyFile) return this.loadFile(policyFile);
    if (stored) {
      this.policy = this.validate(stored, 'store:policy');
      this.source = 'store';
      return;
    }
    const shipped = path.join(manifestsDir, 'policy.yaml');
    if (fs.existsSync(shipped)) this.loadFile(shipped);
  }

  /** The stored policy (HA: what another replica may have written). */
  read(): Promise<unknown> {
    return this.settings.get<unknown>(POLICY_KEY);
  }

  /** Takes the stored policy when it changed since this replica last read or wrote it; true when it did. */
  adopt(stored: unknown): boolean {
    const text = JSON.stringify(stored);
    if (stored === null || text === this.storedText) return false;
    this.storedText = text;
    try {
      this.policy = this.validate(stored, 'store:policy');
    } catch {
      return false; // what this version cannot read leaves the policy in force as it is
    }
    this.source = 'store';
    return true;
  }

  /** The policy in force. */
  current(): Policy {
    return this.policy;
  }

  /** Where it came from, for status. */
  origin(): string {
    return this.source;
  }

  /** Validates and replaces the policy; persists it. Invalid input changes nothing. */
  async replace(spec: unknown, actor: string, sourceName = 'request body'): Promise<Policy> {
    const policy = this.validate(spec, sourceName);
    await this.writes.run(async () => {
      await this.settings.set(POLICY_KEY, policy, { channel: CHANNELS.policy });
      this.policy = policy;
      this.storedText = JSON.stringify(policy);
    });
    this.source = 'store';
    this.activity.record({ category: 'api', actor, message: `policy replaced (maxActive ${policy.maxActive ?? 'unlimited'}, maxHeavy ${policy.maxHeavy ?? 'unlimited'}, ${policy.conflicts.length} conflict groups)` });
    return policy;
  }

  private loadFile(file: string): void {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new DomainError('Invalid', `POLICY_FILE: cannot read ${file}: ${(error as Error).message}`);
    }
    const manifest = parseManifests(text, file).find((candidate) => candidate.kind === 'Policy');
    if (!manifest) throw new ManifestError([{ file, line: 1, field: 'kind', message: 'holds no kind: Policy document' }]);
    this.policy = policyFromManifest(manifest);
    this.source = file;
  }

  private validate(spec: unknown, sourceName: string): Policy {
    const text = JSON.stringify({ apiVersion: API_VERSION, kind: 'Policy', metadata: { name: 'policy' }, spec });
    const [manifest] = parseManifests(text, sourceName);
    return policyFromManifest(manifest);
  }
}
