/**
 * Drives a message spool adapter and the mail model (`model/mail/mail.ts`) side by side: the
 * generated steps, the delivery function the spool is given (its answers come from the generated
 * outcomes, in order), the checks after every step (each delivery the spool asked for, the
 * `status` listing, the retry deadline) and a session log for counterexamples. Shared by
 * `message-spool/adapter-delivery` and the adapter crash properties.
 *
 * After every call the session lets the spool go quiet (every Vfs call done, none started for a
 * few macrotask turns) before it checks anything, so deliveries a call set off are seen in that
 * step; the clock is manual and moves only in `tick` steps.
 */
import fc from 'fast-check';
import type { ManualClock } from '../../impl/io/clock.ts';
import type { ProcessProbe } from '../../impl/io/processes.ts';
import type { Vfs } from '../../impl/io/vfs.ts';
import { added, answered, changed, compareStatus, deliveryViolation, inSpool, isFrozen, mayBeDelivered, NO_MAIL, overdue, type Mail, type MailState } from '../../model/mail/mail.ts';
import { activityVfs, type ActivityVfs } from '../../sim/activity.ts';
import type { DeliveryOutcome, MessageSpoolAdapter, MessageSpoolHandle, MessageSpoolWorld } from '../../targets/message-spool-adapter.ts';
import { sessionCall, sessionError } from '../session-report.ts';

/** A step of a generated session; `pick` chooses among the messages the step can act on. */
export type MailStep =
  | { readonly kind: 'add'; readonly frozen: boolean }
  | { readonly kind: 'freeze' | 'send' | 'remove'; readonly pick: number }
  /** Let time pass: `fraction` of the adapter's `maxRetryDelayMs`. */
  | { readonly kind: 'tick'; readonly fraction: number }
  /** Close the spool and open it again (a clean restart). */
  | { readonly kind: 'reopen' };

const pick = fc.nat({ max: 7 });

/** The steps of a crash workload (no reopen). */
export const mailCrashStepArb: fc.Arbitrary<MailStep> = fc.oneof(
  { weight: 4, arbitrary: fc.boolean().map((frozen): MailStep => ({ kind: 'add', frozen })) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('freeze' as const, 'send' as const, 'remove' as const), pick).map(([kind, p]): MailStep => ({ kind, pick: p })) },
  { weight: 2, arbitrary: fc.constantFrom(0, 0.2, 0.5, 1, 2).map((fraction): MailStep => ({ kind: 'tick', fraction })) },
);

/** The steps of a sequential session: a crash workload's, plus restarts. */
export const mailStepArb: fc.Arbitrary<MailStep> = fc.oneof({ weight: 8, arbitrary: mailCrashStepArb }, { weight: 1, arbitrary: fc.constant<MailStep>({ kind: 'reopen' }) });

/** How deliveries answer, in order (after the last, `delivered`). */
export const outcomesArb: fc.Arbitrary<DeliveryOutcome[]> = fc.array(
  fc.oneof({ weight: 2, arbitrary: fc.constant<DeliveryOutcome>('delivered') }, { weight: 2, arbitrary: fc.constant<DeliveryOutcome>('try-later') }, { weight: 1, arbitrary: fc.constant<DeliveryOutcome>('failed') }),
  { maxLength: 12 },
);

/** The n-th message of a session: a unique body, longer than a torn-write piece. */
export function mailOf(n: number): Mail {
  return {
    sender: 'alice@example.org',
    recipients: n % 2 === 0 ? ['bob@example.org'] : ['bob@example.org', 'carol@example.net'],
    body: `message ${n}: ${'abcdefghij'.repeat(1 + (n % 3))}`,
  };
}

/** A process identity for a lock, alive until the next one is made (the previous process died or exited). */
export function processProbe(n: number): ProcessProbe {
  const self = `spoolcheck-process-${n}`;
  return { self, isAlive: (owner) => owner === self };
}

/** One delivery the spool asked for, with the answer it got. */
export interface DeliveryCall {
  readonly id: string;
  readonly mail: Mail;
  readonly outcome: DeliveryOutcome;
}

/** A delivery function that answers from `outcomes`, then `then`, and records every call. */
export class Deliveries {
  readonly calls: DeliveryCall[] = [];
  #outcomes: readonly DeliveryOutcome[];
  #next = 0;
  #then: DeliveryOutcome;

  constructor(outcomes: readonly DeliveryOutcome[], then: DeliveryOutcome = 'delivered') {
    this.#outcomes = outcomes;
    this.#then = then;
  }

  /** From now on every delivery answers `outcome` (the outcomes not used yet are dropped). */
  answerFromNow(outcome: DeliveryOutcome): void {
    this.#outcomes = [];
    this.#then = outcome;
  }

  readonly deliver = async (id: string, mail: Mail): Promise<DeliveryOutcome> => {
    const outcome = this.#outcomes[this.#next++] ?? this.#then;
    this.calls.push({ id, mail: { sender: mail.sender, recipients: [...mail.recipients], body: mail.body }, outcome });
    return outcome;
  };

  /** The calls since the last take. */
  take(): DeliveryCall[] {
    return this.calls.splice(0);
  }
}

/** Lets more than the spool's longest retry delay pass on `clock`, then waits for quiet: a due retry must have run. */
export async function passRetryDelay(clock: ManualClock, adapter: MessageSpoolAdapter, activity: ActivityVfs): Promise<void> {
  clock.advance(adapter.maxRetryDelayMs + 1);
  await activity.settle();
}

/** A spool's world on `vfs` with its activity tracked. */
export function mailWorld(vfs: Vfs, dir: string, clock: ManualClock, process: number, deliveries: Deliveries): { world: MessageSpoolWorld; activity: ActivityVfs } {
  const activity = activityVfs(vfs);
  return { world: { vfs: activity.vfs, dir, clock, processes: processProbe(process), deliver: deliveries.deliver }, activity };
}

/** What a step did: the call it made (if any) and the messages delivered ("delivered") during it. */
export interface StepEffect {
  readonly call?: { readonly kind: 'add' | 'freeze' | 'send' | 'remove'; readonly id: string };
  readonly delivered: readonly string[];
}

/** A message spool under test with its model and the story so far. */
export class MailSession {
  #state: MailState = NO_MAIL;
  #handle: MessageSpoolHandle;
  #adds = 0;
  #process = 1;
  #activity: ActivityVfs;
  readonly #log: string[] = [];

  private constructor(
    readonly adapter: MessageSpoolAdapter,
    readonly vfs: Vfs,
    readonly dir: string,
    readonly clock: ManualClock,
    readonly deliveries: Deliveries,
    handle: MessageSpoolHandle,
    activity: ActivityVfs,
  ) {
    this.#handle = handle;
    this.#activity = activity;
  }

  /** Opens the spool in `dir` on `vfs`, a directory it has never used (the model starts empty). */
  static async open(adapter: MessageSpoolAdapter, vfs: Vfs, dir: string, clock: ManualClock, outcomes: readonly DeliveryOutcome[]): Promise<MailSession> {
    const deliveries = new Deliveries(outcomes);
    const { world, activity } = mailWorld(vfs, dir, clock, 1, deliveries);
    const handle = await sessionCall('open', [], () => adapter.open(world));
    const session = new MailSession(adapter, vfs, dir, clock, deliveries, handle, activity);
    await session.#activity.settle();
    return session;
  }

  /** The model's state: what has been acknowledged. */
  get state(): MailState {
    return this.#state;
  }

  /** The steps so far with the spool's answers. */
  get log(): readonly string[] {
    return this.#log;
  }

  /** The id step `s` acts on now, or undefined when there is none (the step is skipped). */
  #target(s: { readonly kind: 'freeze' | 'send' | 'remove'; readonly pick: number }): string | undefined {
    const fits = [...this.#state.values()].filter((e) => (s.kind === 'freeze' ? mayBeDelivered(e) : isFrozen(e))).map((e) => e.id).sort();
    return fits.length === 0 ? undefined : fits[s.pick % fits.length];
  }

  /** Runs step `s` and checks everything after it; throws on the first violation. Returns what it did (undefined: skipped). */
  async run(s: MailStep): Promise<StepEffect | undefined> {
    const h = this.#handle;
    let call: StepEffect['call'];
    switch (s.kind) {
      case 'add': {
        const n = ++this.#adds;
        const mail = mailOf(n);
        const id = await this.#call(`add(message ${n}${s.frozen ? ', frozen' : ''})`, () => h.add(mail, { frozen: s.frozen }));
        if (typeof id !== 'string' || id === '') this.#fail(`add gave ${JSON.stringify(id)} as the id, not a non-empty string`);
        this.#log.push(`add(message ${n}${s.frozen ? ', frozen' : ''}) → id ${id}`);
        const r = added(this.#state, id, mail, s.frozen, this.clock.now());
        if (r.violation !== undefined) this.#fail(r.violation);
        this.#state = r.state;
        call = { kind: 'add', id };
        break;
      }
      case 'freeze':
      case 'send':
      case 'remove': {
        const id = this.#target(s);
        if (id === undefined) return undefined;
        await this.#call(`${s.kind}(${id})`, () => h[s.kind](id));
        this.#log.push(`${s.kind}(${id}) → done`);
        this.#state = changed(this.#state, s.kind, id, this.clock.now());
        call = { kind: s.kind, id };
        break;
      }
      case 'tick': {
        const ms = Math.round(s.fraction * this.adapter.maxRetryDelayMs);
        this.clock.advance(ms);
        this.#log.push(`clock +${ms} ms (now ${this.clock.now()})`);
        break;
      }
      case 'reopen':
        await this.#call('close()', () => h.close());
        const next = mailWorld(this.vfs, this.dir, this.clock, ++this.#process, this.deliveries);
        this.#activity = next.activity;
        this.#handle = await this.#call('open (restart)', () => this.adapter.open(next.world));
        this.#log.push('close(), open again → opened');
        break;
    }
    const delivered = await this.#afterStep();
    return call === undefined ? { delivered } : { call, delivered };
  }

  /**
   * The end of a session: every frozen message is sent, deliveries answer `delivered`, and time
   * passes: every message must then be delivered and the spool empty (nothing stuck, nothing lost).
   */
  async drain(): Promise<void> {
    this.deliveries.answerFromNow('delivered');
    this.#log.push('drain: every delivery answers "delivered" from now on');
    for (const e of [...this.#state.values()].filter(isFrozen)) {
      await this.#call(`send(${e.id})`, () => this.#handle.send(e.id));
      this.#log.push(`send(${e.id}) → done`);
      this.#state = changed(this.#state, 'send', e.id, this.clock.now());
      await this.#afterStep();
    }
    for (let i = 0; i < 3; i++) {
      await passRetryDelay(this.clock, this.adapter, this.#activity);
      this.#log.push(`clock +${this.adapter.maxRetryDelayMs + 1} ms (now ${this.clock.now()})`);
      await this.#afterStep();
    }
    const left = [...this.#state.values()].filter(inSpool);
    if (left.length > 0) this.#fail(`never delivered, though sent and time passed: ${left.map((e) => `${e.id} (${e.fate})`).join(', ')}`);
  }

  /** Closes the spool. */
  async close(): Promise<void> {
    await this.#call('close()', () => this.#handle.close());
  }

  /** Waits for quiet, checks the deliveries of the step, the listing and the retry deadline; the ids delivered. */
  async #afterStep(): Promise<string[]> {
    await this.#activity.settle();
    const delivered: string[] = [];
    for (const d of this.deliveries.take()) {
      this.#log.push(`  deliver(${d.id}, ${JSON.stringify(d.mail.body)}) → ${d.outcome}`);
      const v = deliveryViolation(this.#state, d.id, d.mail);
      if (v !== undefined) this.#fail(v);
      this.#state = answered(this.#state, d.id, d.outcome, this.clock.now());
      if (d.outcome === 'delivered') delivered.push(d.id);
    }
    const listed = await this.#call('status()', () => this.#handle.status());
    this.#log.push(`  status() → ${listed.length === 0 ? '(empty)' : [...listed].sort((a, b) => (a.id < b.id ? -1 : 1)).map((l) => `${l.id} ${l.state}`).join(', ')}`);
    const compared = compareStatus(this.#state, listed);
    if (compared.violations.length > 0) this.#fail(compared.violations.join('; '));
    this.#state = compared.state;
    const late = overdue(this.#state, this.clock.now(), this.adapter.maxRetryDelayMs);
    if (late.length > 0) this.#fail(`not tried within maxRetryDelayMs (${this.adapter.maxRetryDelayMs} ms): ${late.map((e) => `${e.id} (${e.fate} since ${e.since})`).join(', ')}`);
    return delivered;
  }

  #call<T>(label: string, f: () => Promise<T>): Promise<T> {
    return sessionCall(label, this.#log, f);
  }

  #fail(message: string): never {
    throw new Error(sessionError(message, this.#log));
  }
}
