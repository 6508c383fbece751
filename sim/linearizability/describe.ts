/**
 * Concurrent histories and linearizability verdicts in words, for people reading a failure:
 * one line per process with its operations in call order, and an account of a verdict (the
 * witness, or the prefix that works and the operations that cannot come next, and why).
 *
 * Fault contract, in plain words: nothing is injected; this only renders. A description is a
 * reading aid: the verdict itself is what `checkLinearizable` returned.
 */
import type { LinearizabilityModel, LinearizabilityResult } from './check.ts';
import { isCompleted, type ConcurrentHistory, type Operation } from './history.ts';

/**
 * One line per process (processes in order of their first call), each operation as
 * `#id [call..ret] input -> output`; an operation without a return shows `[call..killed]` or
 * `[call..no return]` and no output.
 */
export function describeHistory<I, O>(history: ConcurrentHistory<I, O>, formatInput: (input: I) => string, formatOutput: (output: O) => string): string {
  const byProcess = new Map<string, Operation<I, O>[]>();
  for (const op of [...history].sort((a, b) => a.call - b.call || a.id - b.id)) {
    const list = byProcess.get(op.process);
    if (list === undefined) byProcess.set(op.process, [op]);
    else list.push(op);
  }
  const width = Math.max(0, ...[...byProcess.keys()].map((p) => p.length));
  const lines: string[] = [];
  for (const [process, ops] of byProcess) {
    lines.push(`${process.padEnd(width)} | ${ops.map((op) => describeOperation(op, formatInput, formatOutput)).join('   ')}`);
  }
  return lines.join('\n');
}

/** One operation: `#id [call..ret] input -> output` (or `[call..killed] input`). */
export function describeOperation<I, O>(op: Operation<I, O>, formatInput: (input: I) => string, formatOutput: (output: O) => string): string {
  if (isCompleted(op)) return `#${op.id} [${op.call}..${String(op.ret)}] ${formatInput(op.input)} -> ${formatOutput(op.output as O)}`;
  return `#${op.id} [${op.call}..${op.killed === true ? 'killed' : 'no return'}] ${formatInput(op.input)}`;
}

/**
 * A verdict in words. For `notLinearizable`: the history of the failing partition, the prefix
 * that works (step by step, with the model's outputs when `model` is given), the operations that
 * could come next and why each cannot (with `model`: what the model would answer instead of what
 * was recorded; without it, the checker's own explanation). For `unknown`: a plain statement that
 * nothing was concluded.
 */
export function describeResult<S, I, O>(
  result: LinearizabilityResult,
  history: ConcurrentHistory<I, O>,
  formatInput: (input: I) => string,
  formatOutput: (output: O) => string,
  model?: LinearizabilityModel<S, I, O>,
): string {
  const byId = new Map(history.map((op) => [op.id, op]));
  const get = (id: number): Operation<I, O> => {
    const op = byId.get(id);
    if (op === undefined) throw new Error(`describeResult: operation ${id} is not in the history`);
    return op;
  };
  const one = (id: number): string => `${get(id).process}: ${describeOperation(get(id), formatInput, formatOutput)}`;
  switch (result.kind) {
    case 'unknown':
      return `UNKNOWN: the search ran out of its budget after ${result.stepsUsed} steps; nothing is concluded (this is not a pass).`;
    case 'linearizable': {
      const left = history.length - result.order.length;
      const lines = [`LINEARIZABLE (${result.stepsUsed} steps). A witness order:`, ...result.order.map((id, k) => `  ${k + 1}. ${one(id)}`)];
      if (left > 0) lines.push(`  (${left} killed or unanswered operation(s) take no effect in this witness)`);
      return lines.join('\n');
    }
    case 'notLinearizable': {
      const part = partOf(result, history, model);
      const lines = [`NOT LINEARIZABLE (partition ${result.partition}, ${result.stepsUsed} steps).`, model?.partition === undefined ? 'The history, per process:' : 'The operations of that partition, per process:'];
      lines.push(...describeHistory(part, formatInput, formatOutput).split('\n').map((l) => `  ${l}`));
      let state = model?.init;
      if (result.longestPrefix.length === 0) lines.push('No operation can be linearized first.');
      else lines.push(`The longest linearizable prefix found (${result.longestPrefix.length} operation(s)):`);
      result.longestPrefix.forEach((id, k) => {
        const op = get(id);
        let note = '';
        if (model !== undefined && state !== undefined) {
          const r = model.step(state, op.input);
          state = r.state;
          note = isCompleted(op) ? '' : ` (takes effect here; the model answers ${formatOutput(r.output)})`;
        }
        lines.push(`  ${k + 1}. ${one(id)}${note}`);
      });
      lines.push('None of the operations that may come next can be placed:');
      for (const id of result.stuckOps) {
        const op = get(id);
        let why: string;
        if (!isCompleted(op)) why = 'it may take effect here, but every continuation after it fails';
        else if (model === undefined || state === undefined) why = 'see the explanation below';
        else {
          const answer = model.step(state, op.input).output;
          why = model.equalOutput(answer, op.output as O)
            ? 'its output fits here, but every continuation after it fails'
            : `the model answers ${formatOutput(answer)} here, but ${formatOutput(op.output as O)} was recorded`;
        }
        lines.push(`  ${one(id)}: ${why}`);
      }
      const deadline = result.stuckOps.map(get).filter(isCompleted).sort((a, b) => (a.ret as number) - (b.ret as number))[0];
      if (deadline !== undefined) lines.push(`and ${one(deadline.id)} returned at position ${String(deadline.ret)}, so one of them had to come next.`);
      if (model === undefined) lines.push(`Checker: ${result.explanation}`);
      return lines.join('\n');
    }
  }
}

/** The operations of the failing partition (the whole history without a partitioning model). */
function partOf<S, I, O>(result: { partition: number }, history: ConcurrentHistory<I, O>, model: LinearizabilityModel<S, I, O> | undefined): ConcurrentHistory<I, O> {
  if (model?.partition === undefined) return history;
  return model.partition(history)[result.partition] ?? history;
}
