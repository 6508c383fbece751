/**
 * A ring session under injected device faults, judged through the `RingAdapter` alone (shared by
 * `ring/adapter-ambiguous-write` and `ring/adapter-device-errors`). The session runs a random
 * workload of pushes, pops and advances on a device whose faults are armed by the caller, then
 * drains the ring. What it demands:
 * - a call fails only if an injected fault hit it, and then with an error that carries the
 *   device's message (every injected error says "(injected)"): a ring that turns `corrupt` for
 *   good after a failed request, or fails with a TypeError on an error path, is caught here;
 * - the item of a push that failed may be delivered or not, once; every acknowledged item is
 *   delivered, in push order, byte for byte; nothing else is (no garbage, no overwritten item);
 * - an item is delivered twice only if a consumer advance failed (at least once).
 */
import { sameBytes } from '../../model/fifo/fifo.ts';
import type { BlockDevice } from '../../impl/io/block-device.ts';
import type { RingAdapter, RingConsumerHandle, RingProducerHandle } from '../../targets/ring-adapter.ts';
import { errorText } from '../session-report.ts';
import fc from 'fast-check';
import { cutStepArb, type RingAdapterStep } from './adapter-session.ts';
import { itemBytes } from './workload.ts';

/** A faulty session's random workload: up to 10 pushes, pops and advances. */
export const faultyStepsArb: fc.Arbitrary<RingAdapterStep[]> = fc.array(cutStepArb, { minLength: 1, maxLength: 10 });

/** Pops of the final drain beyond which a ring that never runs dry is reported. */
const MAX_DRAIN = 64;

/** The device a faulty session runs on, and how many injected faults have hit so far. */
export interface InjectedFaults {
  readonly device: BlockDevice;
  hits(): number;
}

/** What a faulty session did, line by line, and what it violated (nothing: it held). */
export interface FaultySessionOutcome {
  readonly log: readonly string[];
  readonly problems: readonly string[];
}

/**
 * What is wrong with call `label` failing with `text` (undefined: nothing): it may fail only if an
 * injected fault hit it (`hit`), and then its error must carry the device's (every injected error
 * says "(injected)").
 */
export function failedCallProblem(label: string, text: string, hit: boolean): string | undefined {
  if (!hit) return `${label} failed, though no injected fault hit it: ${text} (every call that meets no fault must work)`;
  if (!text.includes('(injected)')) return `${label} failed with an error that does not carry the device's I/O error: ${text}`;
  return undefined;
}

/** Runs `steps` then a drain on a ring already created on `faults.device`, and judges them. */
export async function runFaultySession(adapter: RingAdapter, faults: InjectedFaults, steps: readonly RingAdapterStep[]): Promise<FaultySessionOutcome> {
  const world = { device: faults.device };
  const log: string[] = [];
  const problems: string[] = [];
  const pushed: Pushed[] = [];
  const popped: Uint8Array[] = [];
  let consumerAdvanceFailed = false;
  /** Runs one call; a throw is allowed only from a call an injected fault hit, and must say so. */
  const call = async <T>(label: string, f: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> => {
    const before = faults.hits();
    try {
      return { ok: true, value: await f() };
    } catch (err) {
      const hit = faults.hits() > before;
      const text = errorText(err);
      log.push(`${label} threw: ${text}${hit ? '   <- an injected fault hit this call' : ''}`);
      const problem = failedCallProblem(label, text, hit);
      if (problem !== undefined) problems.push(problem);
      return { ok: false };
    }
  };
  /** Attaches an end, again after a failure an injected fault explains (each fault fails one call at most). */
  const attach = async <T>(label: string, f: () => Promise<T>): Promise<T | undefined> => {
    for (;;) {
      const before = faults.hits();
      const r = await call(label, f);
      if (r.ok) return r.value;
      if (faults.hits() === before) return undefined;
    }
  };
  const producer: RingProducerHandle | undefined = await attach('producer attach', () => adapter.producer(world));
  const consumer: RingConsumerHandle | undefined = await attach('consumer attach', () => adapter.consumer(world));
  if (producer === undefined || consumer === undefined) return { log, problems };
  let n = 0;
  for (const s of steps) {
    if (s.op === 'push') {
      const item = itemBytes(++n, s.size);
      const r = await call(`push #${n} (${s.size} bytes)`, () => producer.push(item));
      if (r.ok && r.value === 'full') {
        log.push(`push #${n} (${s.size} bytes) → full`);
        continue;
      }
      if (r.ok) log.push(`push #${n} (${s.size} bytes) → ok`);
      pushed.push({ item, doubt: !r.ok });
    } else if (s.op === 'pop') {
      const r = await call('pop', () => consumer.pop());
      if (r.ok) {
        log.push(`pop → ${r.value === undefined ? 'nothing' : `${r.value.length} bytes (item #${r.value[0] ?? '?'})`}`);
        if (r.value !== undefined) popped.push(r.value);
      }
    } else if (s.op === 'advance') {
      const r = await call('consumer advance', () => consumer.advance());
      if (r.ok) log.push('consumer advance → ok');
      else consumerAdvanceFailed = true;
    }
  }
  for (let i = 0; i < MAX_DRAIN; i++) {
    const before = faults.hits();
    const r = await call('drain: pop', () => consumer.pop());
    // A pop an injected fault failed is tried again; one that failed by itself ends the drain.
    if (!r.ok && faults.hits() > before) continue;
    if (!r.ok) break;
    if (r.value === undefined) break;
    popped.push(r.value);
    log.push(`drain: pop → ${r.value.length} bytes (item #${r.value[0] ?? '?'})`);
    const a = await call('drain: consumer advance', () => consumer.advance());
    if (!a.ok) consumerAdvanceFailed = true;
  }
  if (!explains(pushed, popped, consumerAdvanceFailed)) problems.push(...unexplained(pushed, popped, consumerAdvanceFailed));
  return { log, problems };
}

type Pushed = { readonly item: Uint8Array; readonly doubt: boolean };

/**
 * True if some matching of the pops to the pushes obeys the rules: each pop is a later push than
 * the one before (skipping only pushes in doubt) or, after a failed consumer advance, one popped
 * before again; every acknowledged push is popped. Items with equal bytes (zero-length ones, say)
 * make the matching ambiguous, so every matching is tried (the sessions are short).
 */
function explains(pushed: readonly Pushed[], popped: readonly Uint8Array[], redelivery: boolean): boolean {
  const seen = new Set<number>();
  const from = (k: number, next: number): boolean => {
    if (k === popped.length) return pushed.slice(next).every((p) => p.doubt);
    const item = popped[k] as Uint8Array;
    if (redelivery) for (const i of seen) if (i < next && sameBytes((pushed[i] as Pushed).item, item) && from(k + 1, next)) return true;
    for (let i = next; i < pushed.length; i++) {
      const p = pushed[i] as Pushed;
      if (sameBytes(p.item, item) && !seen.has(i)) {
        seen.add(i);
        const ok = from(k + 1, i + 1);
        seen.delete(i);
        if (ok) return true;
      }
      if (!p.doubt) break;
    }
    return false;
  };
  return from(0, 0);
}

/** What is wrong with the pops, in words, matching each one to the first push it can be (greedy). */
function unexplained(pushed: readonly Pushed[], popped: readonly Uint8Array[], redelivery: boolean): string[] {
  const problems: string[] = [];
  let next = 0;
  const seen = new Set<number>();
  for (const item of popped) {
    const index = pushed.findIndex((p, i) => sameBytes(p.item, item) && (i >= next || (redelivery && seen.has(i))));
    if (index < 0) {
      problems.push(`popped ${item.length} bytes that no push wrote there (garbage, or an item overwritten): first bytes [${[...item.slice(0, 8)].join(', ')}]`);
      continue;
    }
    if (seen.has(index) && !redelivery) problems.push(`item #${index + 1} popped twice, though no consumer advance failed`);
    for (let i = next; i < index; i++) if (!(pushed[i] as Pushed).doubt) problems.push(`item #${i + 1} (acknowledged) skipped: item #${index + 1} came first`);
    seen.add(index);
    next = Math.max(next, index + 1);
  }
  for (let i = next; i < pushed.length; i++) if (!(pushed[i] as Pushed).doubt) problems.push(`item #${i + 1} (acknowledged) never popped`);
  if (problems.length === 0) problems.push('the pops match the pushes only by a matching that breaks the order rules');
  return problems;
}

/** The report of a session that injected faults (`faults`, in words) broke: what `what` did and what it violated. */
export function faultReport(what: string, faults: string, log: readonly string[], problems: readonly string[]): string {
  return [`${faults} breaks ${what}`, 'session:', ...log.map((l) => `  ${l}`), 'violated:', ...[...new Set(problems)].map((p) => `  ${p}`)].join('\n');
}
