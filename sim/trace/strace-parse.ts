/**
 * Reading strace's output (as `spoolcheck trace` runs it: `-f -qq -y -xx -s 2^20 -o FILE`): one
 * completed system call per event, in the order the calls completed, with its arguments as
 * strace printed them (strings decoded to bytes, file descriptors with the path `-y` printed for
 * them) and its result. A call strace split over two lines (`<unfinished ...>` then `<... name
 * resumed>`, when another thread's call came in between) is joined, and placed where it
 * completed. Signals, exits and strace's own remarks are skipped; a line that fits none of these
 * shapes is an error that names it, never silently dropped.
 *
 * Fault contract, in plain words: none; this only reads text.
 */

/** One completed system call. */
export interface TraceEvent {
  /** The line (1-based) of strace's output where the call completed. */
  readonly line: number;
  /** The call as strace printed it (joined when it was split), for reports. */
  readonly text: string;
  readonly pid: number;
  readonly name: string;
  readonly args: readonly string[];
  /** The result: a number (with the path `-y` gave a returned descriptor), or the errno name. */
  readonly result: { readonly ok: true; readonly value: number; readonly path?: string } | { readonly ok: false; readonly errno: string };
}

/** A line strace wrote that spoolcheck cannot read. */
export class TraceParseError extends Error {
  constructor(
    readonly line: number,
    readonly text: string,
    why: string,
  ) {
    super(`strace output line ${line}: ${why}: ${text.length > 160 ? `${text.slice(0, 157)}...` : text}`);
    this.name = 'TraceParseError';
  }
}

/** Decodes one string literal of strace (`"\x61\x62"`, C escapes) to its bytes. */
export function decodeString(literal: string): Uint8Array {
  const s = literal.trim();
  if (!s.startsWith('"')) throw new Error(`not a string literal: ${s}`);
  const end = s.lastIndexOf('"');
  const body = s.slice(1, end);
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== '\\') {
      const code = c.charCodeAt(0);
      if (code < 0x80) out.push(code);
      else out.push(...new TextEncoder().encode(c));
      continue;
    }
    const n = body[++i];
    if (n === 'x') {
      out.push(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (n !== undefined && n >= '0' && n <= '7') {
      let j = i;
      while (j < i + 3 && (body[j] as string) >= '0' && (body[j] as string) <= '7') j++;
      out.push(parseInt(body.slice(i, j), 8));
      i = j - 1;
    } else {
      const simple: Record<string, number> = { n: 10, t: 9, r: 13, v: 11, f: 12, '"': 34, '\\': 92, a: 7, b: 8 };
      out.push(simple[n ?? ''] ?? (n ?? '').charCodeAt(0));
    }
  }
  return new Uint8Array(out);
}

/** Decodes a string literal that is a path (UTF-8). */
export function decodePath(literal: string): string {
  return new TextDecoder().decode(decodeString(literal));
}

/** The descriptor and its path in an argument like `3<\x2f\x74>` (the path undefined without `-y`). */
export function fdArg(raw: string): { fd: number; path?: string } {
  const m = /^(-?\d+|AT_FDCWD)(?:<(.*)>)?$/s.exec(raw.trim());
  if (m === null) throw new Error(`not a file descriptor: ${raw}`);
  const fd = m[1] === 'AT_FDCWD' ? -100 : Number(m[1]);
  return m[2] === undefined ? { fd } : { fd, path: decodeAngle(m[2]) };
}

/** The text inside `<...>` of `-y`, its \x escapes decoded. */
function decodeAngle(s: string): string {
  return new TextDecoder().decode(decodeString(`"${s}"`));
}

/** The call in readable words: strings and `-y` paths decoded (long ones shortened), e.g. `rename("/d/tmp/a", "/d/new/a") = 0`. */
export function renderCall(e: TraceEvent): string {
  const arg = (raw: string): string => {
    if (raw.startsWith('"')) {
      const text = new TextDecoder().decode(decodeString(raw));
      return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
    }
    if (/^(-?\d+|AT_FDCWD)<.*>$/s.test(raw)) {
      const { fd, path } = fdArg(raw);
      return `${fd === -100 ? 'AT_FDCWD' : fd}<${path ?? ''}>`;
    }
    if (raw.startsWith('[{') && raw.includes('iov_base=')) return '[iovec]';
    return raw.length > 80 ? `${raw.slice(0, 77)}...` : raw;
  };
  const result = e.result.ok ? `${e.result.value}${e.result.path === undefined ? '' : `<${e.result.path}>`}` : `-1 ${e.result.errno}`;
  return `${e.name}(${e.args.map(arg).join(', ')}) = ${result}`;
}

/** The characters of `text` from `from` on that are outside string literals, with their indexes. */
function* unquoted(text: string, from = 0): Generator<[number, string]> {
  let quoted = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
      continue;
    }
    if (c === '"') quoted = true;
    else yield [i, c];
  }
}

/** Splits an argument list at its top-level commas (not inside quotes, brackets, braces or `<...>`). */
export function splitArgs(list: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let angle = 0;
  let start = 0;
  for (const [i, c] of unquoted(list)) {
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === '<' && /[\dD]/.test(list[i - 1] ?? '')) angle++;
    else if (c === '>' && angle > 0) angle--;
    else if (c === ',' && depth === 0 && angle === 0) {
      out.push(list.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = list.slice(start).trim();
  if (last !== '' || out.length > 0) out.push(last);
  return out;
}

/** Where the argument list of `text` (starting after `name(`) closes: the index of its `)`. */
function closingParen(text: string, from: number): number {
  let depth = 1;
  for (const [i, c] of unquoted(text, from)) {
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Parses `name(args) = result` (after the pid). */
function parseCall(line: number, text: string, pid: number, call: string): TraceEvent {
  const open = call.indexOf('(');
  if (open <= 0) throw new TraceParseError(line, text, 'no call');
  const name = call.slice(0, open);
  const close = closingParen(call, open + 1);
  if (close < 0) throw new TraceParseError(line, text, 'unbalanced parentheses');
  const args = splitArgs(call.slice(open + 1, close));
  const rest = call.slice(close + 1).trim();
  const m = /^=\s+(-?\d+|0x[0-9a-f]+|\?)(?:<(.*?)>)?(?:\s+([A-Z][A-Z0-9_]*)(?:\s+\(.*\))?)?(?:\s+\(.*\))?$/s.exec(rest);
  if (m === null) throw new TraceParseError(line, text, 'no result');
  const value = m[1] === '?' ? 0 : Number(m[1]);
  const errno = m[3];
  const result = value === -1 && errno !== undefined ? { ok: false as const, errno } : { ok: true as const, value, ...(m[2] === undefined ? {} : { path: decodeAngle(m[2]) }) };
  return { line, text, pid, name, args, result };
}

/** Every completed call of strace's output `output`, in the order they completed. */
export function parseStrace(output: string): TraceEvent[] {
  const events: TraceEvent[] = [];
  const pending = new Map<number, { line: number; head: string }>();
  const lines = output.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] as string;
    const n = i + 1;
    if (text.trim() === '') continue;
    const m = /^(\d+)\s+(.*)$/s.exec(text);
    if (m === null) throw new TraceParseError(n, text, 'no process id (strace runs with -f)');
    const pid = Number(m[1]);
    const body = m[2] as string;
    if (body.startsWith('+++') || body.startsWith('---')) continue; // an exit or a signal
    if (body.endsWith('<unfinished ...>')) {
      pending.set(pid, { line: n, head: body.slice(0, -'<unfinished ...>'.length).trimEnd() });
      continue;
    }
    const resumed = /^<\.\.\. ([a-z0-9_]+) resumed>(.*)$/s.exec(body);
    if (resumed !== null) {
      const head = pending.get(pid);
      if (head === undefined) throw new TraceParseError(n, text, 'a resumed call that never started');
      pending.delete(pid);
      const joined = `${head.head}${(resumed[2] as string).replace(/^\s*/, '')}`;
      events.push(parseCall(n, `${pid} ${joined}`, pid, joined));
      continue;
    }
    if (/^[a-z0-9_]+\(/.test(body)) {
      // A call interrupted by the process's exit never completes: no effect to record.
      if (/\)\s+= \?$/.test(body)) continue;
      events.push(parseCall(n, text, pid, body));
      continue;
    }
    throw new TraceParseError(n, text, 'not a system call');
  }
  return events;
}
