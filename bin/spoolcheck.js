#!/usr/bin/env node
// The spoolcheck command. An installed package runs its build (dist/, plain JavaScript); a source
// checkout of spoolcheck (where cli/bin.ts exists) compiles the TypeScript sources as they load
// (bin/ts-loader.js), so that development needs no build step and never runs a stale one.
import { existsSync } from 'node:fs';

const source = new URL('../cli/bin.ts', import.meta.url);
if (existsSync(source)) {
  await import('./ts-loader.js');
  await import(source.href);
} else {
  await import(new URL('../dist/cli/bin.js', import.meta.url).href);
}
