#!/usr/bin/env node
/**
 * Writes oclif.manifest.json after the build. Without it, oclif requires every command module on each run
 * to learn the flags of all of them, which is most of what `maintenance-orchestrator status` costs.
 * (The `oclif manifest` command does the same, but brings a large dev dependency for one file.)
 */
const fs = require('node:fs');
const path = require('node:path');
const { Config } = require('@oclif/core');

async function main() {
  const root = path.join(__dirname, '..');
  const target = path.join(root, 'oclif.manifest.json');
  fs.rmSync(target, { force: true }); // never build the manifest from a stale manifest
  const config = await Config.load(root);
  const plugin = config.plugins.get(config.pjson.name);
  if (!plugin) throw new Error(`plugin ${config.pjson.name} not found`);
  fs.writeFileSync(target, `${JSON.stringify(plugin.manifest)}\n`);
  process.stdout.write(`oclif.manifest.json: ${Object.keys(plugin.manifest.commands).length} commands\n`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
