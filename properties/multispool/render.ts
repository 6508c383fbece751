/**
 * Spool states and results in words, for counterexamples: one line per file, times relative to
 * the start of the run, and a line diff between what the model predicted and what is on disk.
 */
import type { SpoolState } from '../../model/multispool/state.ts';
import { START_MS } from './test-spoolable.ts';

/** One line per file of the spool, sorted: `alpha/.checkout/n1 {"label":"new","rev":0} @+300000ms`. */
export function renderState<M, D>(state: SpoolState<M, D>): string[] {
  const at = (ms: number): string => `@${ms - START_MS >= 0 ? '+' : ''}${ms - START_MS}ms`;
  const lines: string[] = [];
  for (const [name, mtimeMs] of state.registry) lines.push(`.registry/${name} ${at(mtimeMs)}`);
  for (const [name, file] of state.tmp) lines.push(`.tmp/${name} ${JSON.stringify(file.metadata)} ${at(file.mtimeMs)}`);
  for (const [name, value] of state.data) lines.push(`.data/${name} ${JSON.stringify(value)}`);
  for (const [q, qs] of state.queues) {
    for (const [name, file] of qs.queued) lines.push(`${q}/${name} ${JSON.stringify(file.metadata)} ${at(file.mtimeMs)}`);
    for (const [name, file] of qs.checkedOut) lines.push(`${q}/.checkout/${name} ${JSON.stringify(file.metadata)} ${at(file.mtimeMs)}`);
  }
  return lines.sort();
}

/** The lines only the model has (`- model`) and only the disk has (`+ disk`), or [] when equal. */
export function diffStates<M, D>(model: SpoolState<M, D>, disk: SpoolState<M, D>): string[] {
  const a = renderState(model);
  const b = renderState(disk);
  const inB = new Set(b);
  const inA = new Set(a);
  return [...a.filter((l) => !inB.has(l)).map((l) => `  - model: ${l}`), ...b.filter((l) => !inA.has(l)).map((l) => `  + disk:  ${l}`)];
}

/** A result value in words (JSON, with `undefined` spelled out). */
export function renderValue(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value);
}
