/** For tests of the CLI: an Output that keeps what `main` printed. */
import type { Output } from './output.ts';

/** What was printed, line by line: `out` (stdout), `err` (stderr); `text()` is stdout joined. */
export function capture(): Output & { out: string[]; err: string[]; text(): string } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), text: () => out.join('\n') };
}
