/**
 * `message-spool/model-vs-impl`: random sequences of message spool operations, time passing,
 * delivery outcomes (presend decisions, sender results and failures), concurrency limits,
 * killAndFlush and process restarts, applied to the model and the implementation side by side
 * (see side-by-side.ts for everything that is compared after each step).
 */
import fc from 'fast-check';
import { builtinOf, type PropertyDef, type RunContext } from '../suite.ts';
import { msgCommandArb } from './commands.ts';
import { runMessageSideBySide } from './side-by-side.ts';

/** The property. */
export const messageModelVsImpl: PropertyDef = {
  suite: 'message-spool',
  requires: ['builtin'],
  name: 'model-vs-impl',
  description:
    'operations, time, delivery outcomes, limits, killAndFlush and restarts: results, events, status, deliveries in flight and the spool on disk match the model after every step',
  defaultRuns: 200,
  testRuns: 60,
  build: (ctx: RunContext) =>
    fc.asyncProperty(fc.array(msgCommandArb, { minLength: 1, maxLength: 40 }), async (commands) => {
      await runMessageSideBySide(commands, builtinOf(ctx).messageSpool);
    }) as unknown as fc.IAsyncProperty<never>,
};
