/** `policy apply -f FILE`: replaces the safety policy from a kind: Policy manifest. */
import { parseAllDocuments } from 'yaml';
import type { ApplyResult } from '../../api-types';
import { BaseCommand } from '../../base-command';
import { EXIT } from '../../errors';
import { dryRunFlag, fileFlag } from '../../flags';
import { appliedDocumentLines } from '../../format';

/** Sends a Policy manifest through /apply, refusing files that hold other kinds. */
export default class PolicyApply extends BaseCommand<typeof PolicyApply> {
  static override summary = 'Replace the safety policy from a kind: Policy manifest file.';
  static override examples = ['<%= config.bin %> <%= command.id %> -f manifests/policy.yaml', '<%= config.bin %> <%= command.id %> -f my-policy.yaml --dry-run'];
  static override flags = {
    file: fileFlag,
    'dry-run': dryRunFlag,
  };

  override async run(): Promise<ApplyResult> {
    const { text, source } = await this.readInput(this.flags.file);
    const others = otherKinds(text);
    // `policy apply` must not change the declared state behind the user's back: other kinds go through apply -f.
    if (others.length) this.fail(`${source} holds ${others.join(', ')}: policy apply takes kind: Policy only (use apply -f for the rest)`, EXIT.usage);
    const dryRun = this.flags['dry-run'];
    const result = await this.client.applyManifests({ manifests: text, source, dryRun });
    this.log(appliedDocumentLines(result.documents, dryRun).join('\n'));
    return result;
  }
}

/** Kinds other than Policy in the text; unparsable text is left to the server, whose errors name line and field. */
function otherKinds(text: string): string[] {
  try {
    const kinds = parseAllDocuments(text).map((document) => (document.toJS() as { kind?: unknown } | null)?.kind);
    return [...new Set(kinds.filter((kind) => kind !== undefined && kind !== 'Policy').map((kind) => `kind: ${String(kind)}`))];
  } catch {
    return [];
  }
}
