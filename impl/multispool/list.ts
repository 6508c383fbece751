/**
 * `list(q)` (docs/multispool-protocol.md): the names queued in q, in code-unit order (byte order for ASCII names).
 */
import type { SpoolContext } from './context.ts';
import { vfsStep } from './errors.ts';
import { CHECKOUT_DIR } from './layout.ts';

/**
 * `readdir(S/q)` minus `.checkout`, sorted in code-unit order; a missing queue directory →
 * `missing`. The single place of quirk SEQ-2 (`listIncludesCheckoutDir`): `.checkout` is kept.
 */
export async function listQueue<Q extends string, M, D>(ctx: SpoolContext<Q, M, D>, queue: Q): Promise<string[]> {
  const dir = ctx.layout.queueDir(queue);
  const names = await vfsStep('list queue', dir, () => ctx.vfs.readdir(dir), { ENOENT: 'missing', ENOTDIR: 'notADirectory' });
  // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
  if (ctx.quirks.listIncludesCheckoutDir === true) return names.sort();
  return names.filter((n) => n !== CHECKOUT_DIR).sort();
}
