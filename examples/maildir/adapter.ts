/**
 * The spoolcheck adapter of the Maildir queue: opens a {@link Maildir} in the world spoolcheck
 * gives (its Vfs, its directory, its clock). A Maildir already has the calls of a
 * {@link QueueHandle}, so the open Maildir is the handle.
 */
import type { QueueAdapter, QueueSurvives } from '../../targets/queue-adapter.ts';
import { Maildir, type MaildirOptions } from './maildir.ts';

/** A queue adapter over a Maildir with `options`, claiming to survive `survives`. */
export function maildirQueue(options: MaildirOptions, survives: readonly QueueSurvives[]): QueueAdapter {
  return {
    survives,
    open: (world) => Maildir.open(world.vfs, world.dir, world.clock, options),
  };
}
