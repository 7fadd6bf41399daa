#!/usr/bin/env node
// The `maintenance-orchestrator` CLI entry (oclif v4). CommonJS on purpose: it runs from any cwd and through
// `npm link`, and loads the compiled commands in dist/cli/commands (run `npm run build` first).
const oclif = require('@oclif/core');

// The compiled commands are the product: never try ts-node on the sources, even under NODE_ENV=test/development.
oclif.settings.enableAutoTranspile = false;

oclif.execute({ dir: __dirname }).catch(oclif.Errors.handle);
