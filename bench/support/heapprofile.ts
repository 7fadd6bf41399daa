/**
 * `node dist/bench/support/heapprofile.js FILE.heapprofile [--top 40]`: bytes allocated per function in a
 * sampling heap profile (bench --heap-profile), as `MB function file:line`, mapped to the TypeScript sources
 * like cpuprofile.js. A function's own allocations only: objects Node allocates inside node:http count there.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { locate } from './cpuprofile';

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  selfSize: number;
  children?: SamplingNode[];
}

/** Bytes allocated per `function location`, largest first, and their total. */
export function allocationsByFunction(head: SamplingNode, root: string): { sites: [string, number][]; totalBytes: number } {
  const sites = new Map<string, number>();
  let totalBytes = 0;
  const visit = (node: SamplingNode) => {
    totalBytes += node.selfSize;
    const key = `${node.callFrame.functionName || '(anonymous)'}  ${locate(node.callFrame, root)}`;
    sites.set(key, (sites.get(key) ?? 0) + node.selfSize);
    for (const child of node.children ?? []) visit(child);
  };
  visit(head);
  return { sites: [...sites].sort((a, b) => b[1] - a[1]), totalBytes };
}

function main(argv: string[]): void {
  const file = argv.find((arg) => !arg.startsWith('--'));
  if (!file) throw new Error('usage: node dist/bench/support/heapprofile.js FILE.heapprofile [--top N]');
  const top = Number(argv[argv.indexOf('--top') + 1]) || 40;
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { head: SamplingNode };
  const { sites, totalBytes } = allocationsByFunction(profile.head, path.resolve(__dirname, '..', '..', '..'));
  const mb = (bytes: number) => (bytes / 1048576).toFixed(1).padStart(8);
  process.stdout.write(`${path.basename(file)}: ${mb(totalBytes).trim()} MB sampled\n      MB  function  location\n`);
  for (const [site, bytes] of sites.slice(0, top)) process.stdout.write(`${mb(bytes)}  ${site}\n`);
}

if (require.main === module) main(process.argv.slice(2));
