#!/usr/bin/env node
// The CLI baseline's entry: the same three lines as the product's bin/run.js, so the two differ only in
// what the command does (here: print a constant as JSON) and in how many commands oclif has to find.
const oclif = require('@oclif/core');

oclif.settings.enableAutoTranspile = false;

oclif.execute({ dir: __dirname }).catch(oclif.Errors.handle);
