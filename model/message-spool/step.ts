/**
 * The message-spool reference model: `step(state, op)` applies one operation, following
 * `docs/message-spool-protocol.md`, and returns the new state and what the operation returned.
 *
 * Conventions of this model:
 * - Every operation ends with the pump (pump.ts), including refused ones (a no-op then).
 * - freeze, send, remove and recover are refused as a whole with `killed` after killAndFlush,
 *   and change nothing; add and quarantine are allowed (their messages wait: nothing starts).
 * - No I/O fails: the model never answers `locked` nor `spool`.
 * - Harness bugs throw an Error instead of returning a result: ids and envelopes of different
 *   lengths or ids already used, a negative or non-finite tick, a resolve of an id that has no
 *   attempt running, a sendNow outcome without a send outcome.
 * - The state given is never changed; the result shares unchanged parts with it.
 */
import { resolveAttempt } from './delivery.ts';
import { finishWaiters, killAndFlush, timeOutWaiters } from './flush.ts';
import { add, countFromDisk, freeze, quarantine, recover, remove, send } from './operations.ts';
import { pump } from './pump.ts';
import type { ModelState } from './state.ts';
import { restart } from './startup.ts';
import type { ModelOp, ModelResult } from './types.ts';

/** The state after an operation, and what the operation returned. */
export interface StepOutcome {
  readonly state: ModelState;
  readonly result: ModelResult;
}

/** Applies `op` to `state`, then runs the pump. */
export function step(state: ModelState, op: ModelOp): StepOutcome {
  const out = apply(state, op);
  return { state: pump(out.state), result: out.result };
}

const DONE: ModelResult = { kind: 'done' };
const KILLED: ModelResult = { kind: 'error', error: 'killed' };

function apply(state: ModelState, op: ModelOp): StepOutcome {
  switch (op.kind) {
    case 'add': {
      const r = add(state, op.ids, op.envelopes, op.initialStatus, op.parentId);
      return { state: r.state, result: { kind: 'ids', ids: r.value } };
    }
    case 'quarantine': {
      const r = quarantine(state, op.ids, op.reason, op.envelopes, op.parentId);
      return { state: r.state, result: { kind: 'ids', ids: r.value } };
    }
    case 'freeze':
    case 'send':
    case 'remove':
    case 'recover': {
      if (state.killed) return { state, result: KILLED };
      const r =
        op.kind === 'freeze'
          ? freeze(state, op.ids)
          : op.kind === 'send'
            ? send(state, op.which, op.retryIntervals)
            : op.kind === 'remove'
              ? remove(state, op.ids)
              : recover(state, op.ids, op.from);
      return { state: r.state, result: { kind: 'perId', results: r.value } };
    }
    case 'tick': {
      if (!Number.isFinite(op.ms) || op.ms < 0) throw new Error(`message-spool model: tick of ${op.ms} ms (harness bug)`);
      return { state: timeOutWaiters({ ...state, now: state.now + op.ms }), result: DONE };
    }
    case 'resolve':
      return { state: finishWaiters(resolveAttempt(state, op.id, op.outcome)), result: DONE };
    case 'killAndFlush': {
      const r = killAndFlush(state, op.timeoutMs);
      return { state: r.state, result: { kind: 'flush', waiter: r.waiter } };
    }
    case 'setMaxConcurrentJobs':
      if (!Number.isInteger(op.n) || op.n < 1) return { state, result: { kind: 'error', error: 'invalidArgument' } };
      return { state: { ...state, maxConcurrentJobs: op.n }, result: DONE };
    case 'countFromDisk':
      return { state, result: { kind: 'count', count: countFromDisk(state) } };
    case 'restart': {
      const r = restart(state);
      return { state: r.state, result: { kind: 'restarted', putBack: r.putBack } };
    }
  }
}
