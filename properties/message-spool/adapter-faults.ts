/**
 * `message-spool/adapter-faults`: a mail spool recovers from a full disk or an I/O error without
 * a restart. Messages are added (their deliveries answer "try later"); then the disk fills up (at
 * a generated point: no room at all, or some) or one write or fsync fails with EIO, while one
 * more message is added, a waiting one is frozen, and time passes (the retries must save their
 * state); then the fault goes
 * away and every delivery answers "delivered"; time passes, every message listed frozen is sent,
 * and time passes again. Judged through the API: every message whose add was acknowledged is
 * delivered, none twice, the one added under the fault at most once, and the spool ends empty.
 */
import fc from 'fast-check';
import { manualClock } from '../../impl/io/clock.ts';
import { memfsVfs } from '../../impl/io/memfs-vfs.ts';
import { describePlan, faultVfs } from '../../sim/fault-vfs.ts';
import { faultChoiceArb, planOf } from '../fault-choice.ts';
import { START_MS } from '../multispool/test-spoolable.ts';
import { errorText } from '../session-report.ts';
import { adapterOf, type PropertyDef } from '../suite.ts';
import { MAIL_DIR } from './adapter-delivery.ts';
import { Deliveries, mailOf, mailWorld, passRetryDelay } from './adapter-session.ts';

/** Bytes a message's record and body take about: what a share of the disk-full fault is of. */
const MESSAGE_BYTES = 300;

export const adapterFaults: PropertyDef = {
  suite: 'message-spool',
  name: 'adapter-faults',
  requires: ['message-spool'],
  description: 'messages waiting for a retry while the disk is full (or a write or fsync fails with EIO), then room again: every acknowledged message is delivered once without a restart, and the spool ends empty',
  defaultRuns: 100,
  testRuns: 20,
  build: (ctx) =>
    fc.asyncProperty(fc.integer({ min: 1, max: 3 }), faultChoiceArb(5), async (count, choice) => {
      const plan = planOf(choice, MESSAGE_BYTES);
      const adapter = adapterOf(ctx, 'messageSpool');
      const clock = manualClock(START_MS);
      const inner = memfsVfs({ clock });
      await inner.mkdir(MAIL_DIR);
      const vfs = faultVfs(inner, plan, { armed: false });
      const deliveries = new Deliveries([], 'try-later');
      const { world, activity } = mailWorld(vfs, MAIL_DIR, clock, 1, deliveries);
      const log: string[] = [];
      const problems: string[] = [];
      const passTime = (): Promise<void> => passRetryDelay(clock, adapter, activity);
      const handle = await adapter.open(world);
      const acked: string[] = [];
      for (let n = 1; n <= count; n++) {
        await handle.add(mailOf(n), { frozen: false });
        acked.push(mailOf(n).body);
        log.push(`add(message ${n}) → ok`);
      }
      await activity.settle();
      vfs.arm();
      log.push(`(fault: ${describePlan(plan)})`);
      const doubtful = mailOf(count + 1).body;
      try {
        await handle.add(mailOf(count + 1), { frozen: false });
        acked.push(doubtful);
        log.push(`add(message ${count + 1}) → ok`);
      } catch (err) {
        log.push(`add(message ${count + 1}) threw: ${errorText(err)}`);
      }
      await activity.settle();
      // A freeze under the fault: failed or not, the message must stay reachable.
      const first = (await handle.status()).find((s) => s.state === 'waiting');
      if (first !== undefined) {
        try {
          await handle.freeze(first.id);
          log.push(`freeze(${first.id}) → done`);
        } catch (err) {
          log.push(`freeze(${first.id}) threw: ${errorText(err)}`);
        }
        await activity.settle();
      }
      await passTime();
      await passTime();
      vfs.disarm();
      deliveries.answerFromNow('delivered');
      log.push('(fault gone; deliveries answer "delivered" from now on)');
      await passTime();
      await passTime();
      try {
        for (const s of await handle.status()) if (s.state === 'frozen') await handle.send(s.id);
      } catch (err) {
        problems.push(`sending a message listed frozen threw: ${errorText(err)}`);
      }
      await activity.settle();
      await passTime();
      await passTime();
      const left = await handle.status();
      await handle.close();
      const delivered = deliveries.calls.filter((c) => c.outcome === 'delivered').map((c) => c.mail.body);
      for (const body of acked) {
        const times = delivered.filter((d) => d === body).length;
        if (times === 0) problems.push(`acknowledged message ${JSON.stringify(body)} was never delivered`);
        if (times > 1) problems.push(`message ${JSON.stringify(body)} was delivered ${times} times in one process`);
      }
      if (!acked.includes(doubtful) && delivered.filter((d) => d === doubtful).length > 1) problems.push('the message added under the fault was delivered twice');
      if (left.length > 0) problems.push(`the spool still lists ${left.map((l) => `${l.id} (${l.state})`).join(', ')} after room came back and time passed`);
      if (problems.length > 0) {
        throw new Error([`after ${describePlan(plan)}, the spool does not recover`, 'session:', ...log.map((l) => `  ${l}`), `faults injected: ${vfs.injected().join('; ') || 'none'}`, `delivered: ${delivered.join(', ') || 'nothing'}`, 'violated:', ...problems.map((p) => `  ${p}`)].join('\n'));
      }
    }) as unknown as fc.IAsyncProperty<never>,
};
