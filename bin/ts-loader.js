// Registers bin/ts-hooks.js (spoolcheck's own TypeScript sources, compiled as they load) in this
// thread, with stack traces mapped back to the .ts lines. Imported first by bin/spoolcheck.js and
// by each worker thread started from the sources (cli/worker-pool.ts).
import { register } from 'node:module';

process.setSourceMapsEnabled(true);
register('./ts-hooks.js', import.meta.url);
