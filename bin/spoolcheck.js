#!/usr/bin/env node
// The spoolcheck command. An installed package runs its build (dist/, plain JavaScript); a source
// checkout of spoolcheck (where cli/bin.ts exists) runs the TypeScript sources through tsx, so
// that development needs no build step and never runs a stale one.
import { existsSync } from 'node:fs';

const source = new URL('../cli/bin.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(new URL('../dist/cli/bin.js', import.meta.url).href);
}
