import { parseArgs } from 'node:util';
import type { Terminal } from './live-progress.ts';
/** Where the CLI writes: injected so tests can capture it. */
export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Set only when standard output is a terminal: where live progress lines are drawn. */
  readonly terminal?: Terminal;
}

/** The process's own streams. */
export const processOutput: Output = {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  ...(process.stdout.isTTY === true ? { terminal: { write: (text: string) => void process.stdout.write(text), get columns() { return process.stdout.columns || 80; } } } : {}),
};

/** Bad usage or environment: exit code 2 with a clear message. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Formats a table with a header row; columns are padded to their widest cell. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The flags of a command: each a string or a boolean; `multiple` collects every occurrence (else a repeated flag is an error). */
export type FlagSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;

/**
 * Parses `args` as `options` (no positional arguments); an unknown or malformed flag, or a flag
 * given twice that is not `multiple`, is a usage error (never a silent "the last one wins").
 */
export function parseFlags(args: readonly string[], options: FlagSpec): Record<string, string | boolean | string[] | undefined> {
  return parseCommandLine(args, options, false).flags;
}

/** As `parseFlags`, but words that are not flags are allowed and given back in order (`files`). */
export function parseCommandLine(args: readonly string[], options: FlagSpec, allowPositionals = true): { flags: Record<string, string | boolean | string[] | undefined>; files: string[] } {
  try {
    const { values, positionals, tokens } = parseArgs({ args: [...args], options, strict: true, allowPositionals, tokens: true });
    const seen = new Set<string>();
    for (const t of tokens ?? []) {
      if (t.kind !== 'option') continue;
      if (seen.has(t.name) && options[t.name]?.multiple !== true) throw new UsageError(`--${t.name} was given twice`);
      seen.add(t.name);
    }
    return { flags: values as Record<string, string | boolean | string[] | undefined>, files: positionals };
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

/** The whole number `text` of flag `flag`, between `min` and `max`; anything else is a usage error. */
export function parseInteger(flag: string, text: string, min: number, max: number): number {
  if (!/^-?\d+$/.test(text)) throw new UsageError(`${flag} expects a whole number, got '${text}'`);
  const n = Number(text);
  if (n < min || n > max) throw new UsageError(`${flag} must be between ${min} and ${max}, got ${text}`);
  return n;
}

/**
 * A duration in seconds from a flag: a whole or decimal number (`2`, `0.25`), at most
 * millisecond precision, between `min` and `max`.
 */
export function parseSeconds(flag: string, text: string, min: number, max: number): number {
  if (!/^\d+(\.\d{1,3})?$/.test(text)) throw new UsageError(`${flag} expects a number of seconds (such as 2 or 0.25, to the millisecond), got '${text}'`);
  const n = Number(text);
  if (n < min || n > max) throw new UsageError(`${flag} must be between ${min} and ${max} seconds, got ${text}`);
  return n;
}

/** `text` escaped for XML and HTML content and attribute values (JUnit reports, HTML pages), with the characters XML 1.0 forbids replaced. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
