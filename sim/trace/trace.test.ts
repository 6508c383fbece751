/**
 * Reading strace's output and replaying it on the crash Vfs, on hand-written traces: strings and
 * descriptor paths decoded, split calls joined where they completed, positions, O_APPEND, dup,
 * threads sharing descriptors, directory fsyncs, failed calls skipped, standard output as marks;
 * what cannot be replayed reported; io_uring refused; lines that are not strace's refused.
 */
import { describe, expect, it } from 'vitest';
import { renderImage } from '../crash/disk-image.ts';
import { decodeString, parseStrace, renderCall, splitArgs, TraceParseError } from './strace-parse.ts';
import { replayTrace, TraceRefused } from './replay.ts';

/** `s` as strace -xx prints it. */
const hex = (s: string): string => `"${[...Buffer.from(s, 'utf8')].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('')}"`;
/** A descriptor as strace -y -xx prints it. */
const fd = (n: number, path: string): string => `${n}<${hex(path).slice(1, -1)}>`;

const D = '/t/dir';
const OUT = '/t/stdout';
const setting = { dir: D, stdoutPath: OUT, cwd: '/home' };

describe('strace output', () => {
  it('decodes strings with hex, octal and C escapes', () => {
    expect(new TextDecoder().decode(decodeString('"\\x61b\\n\\101\\""'))).toBe('ab\nA"');
  });

  it('splits arguments at top-level commas only', () => {
    expect(splitArgs(`${fd(3, '/a,b')}, "x,y", [{iov_base="a", iov_len=1}, {iov_base="b", iov_len=1}], 2`)).toHaveLength(4);
  });

  it('joins a call split by another thread, where it completed, and skips exits and signals', () => {
    const text = [
      `10 write(${fd(3, `${D}/f`)}, ${hex('ab')}, 2 <unfinished ...>`,
      `11 mkdir(${hex(`${D}/sub`)}, 0777) = 0`,
      '10 <... write resumed>) = 2',
      '11 --- SIGCHLD {si_signo=SIGCHLD} ---',
      '11 +++ exited with 0 +++',
    ].join('\n');
    const events = parseStrace(text);
    expect(events.map((e) => [e.pid, e.name, e.line])).toEqual([
      [11, 'mkdir', 2],
      [10, 'write', 3],
    ]);
    expect(renderCall(events[1] as (typeof events)[number])).toBe(`write(3<${D}/f>, "ab", 2) = 2`);
  });

  it('reads errors and returned descriptors with their paths', () => {
    const [a, b] = parseStrace([`5 openat(AT_FDCWD<${hex('/home').slice(1, -1)}>, ${hex('x')}, O_RDONLY) = -1 ENOENT (No such file or directory)`, `5 openat(AT_FDCWD, ${hex(`${D}/f`)}, O_WRONLY|O_CREAT, 0644) = ${fd(3, `${D}/f`)}`].join('\n'));
    expect(a?.result).toEqual({ ok: false, errno: 'ENOENT' });
    expect(b?.result).toEqual({ ok: true, value: 3, path: `${D}/f` });
  });

  it('refuses a line that is not strace output, naming it', () => {
    expect(() => parseStrace('hello world')).toThrow(TraceParseError);
    expect(() => parseStrace('12 write(1, "a"')).toThrow(/line 1: unbalanced parentheses/);
  });
});

describe('replaying a trace on the crash Vfs', () => {
  it('replays the directory: positions, append, pwrite, dup, threads, renames, links, removals; output as marks', () => {
    const f = `${D}/f`;
    const text = [
      `1 openat(AT_FDCWD, ${hex(`/elsewhere/x`)}, O_WRONLY|O_CREAT, 0644) = ${fd(4, '/elsewhere/x')}`,
      `1 write(${fd(4, '/elsewhere/x')}, ${hex('ignored')}, 7) = 7`,
      `1 mkdirat(AT_FDCWD, ${hex(`${D}/tmp`)}, 0777) = 0`,
      `1 openat(AT_FDCWD, ${hex(`${D}/tmp/a`)}, O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0644) = ${fd(3, `${D}/tmp/a`)}`,
      `1 write(${fd(3, `${D}/tmp/a`)}, ${hex('hello')}, 5) = 5`,
      `1 write(${fd(3, `${D}/tmp/a`)}, ${hex(' world!')}, 7) = 3`,
      `1 pwrite64(${fd(3, `${D}/tmp/a`)}, ${hex('J')}, 1, 0) = 1`,
      `1 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_THREAD}, 88) = 2`,
      `2 fsync(${fd(3, `${D}/tmp/a`)}) = 0`,
      `1 dup(${fd(3, `${D}/tmp/a`)}) = ${fd(5, `${D}/tmp/a`)}`,
      `1 close(${fd(3, `${D}/tmp/a`)}) = 0`,
      `1 write(${fd(5, `${D}/tmp/a`)}, ${hex('!')}, 1) = 1`,
      `1 close(${fd(5, `${D}/tmp/a`)}) = 0`,
      `1 rename(${hex(`${D}/tmp/a`)}, ${hex(f)}) = 0`,
      `1 unlink(${hex(`${D}/missing`)}) = -1 ENOENT (No such file or directory)`,
      `1 openat(AT_FDCWD, ${hex(D)}, O_RDONLY|O_DIRECTORY) = ${fd(6, D)}`,
      `1 fsync(${fd(6, D)}) = 0`,
      `1 write(${fd(1, OUT)}, ${hex('saved f\n')}, 8) = 8`,
      `1 openat(AT_FDCWD, ${hex(f)}, O_WRONLY|O_APPEND) = ${fd(7, f)}`,
      `1 write(${fd(7, f)}, ${hex('+')}, 1) = 1`,
      `1 unlinkat(AT_FDCWD, ${hex(`${D}/tmp`)}, AT_REMOVEDIR) = 0`,
      `1 linkat(AT_FDCWD, ${hex(f)}, AT_FDCWD, ${hex(`${D}/g`)}, 0) = 0`,
      `1 unlink(${hex(f)}) = 0`,
    ].join('\n');
    const r = replayTrace(parseStrace(text), setting);
    expect(renderImage(r.crash.liveImage(), false)).toEqual(['/g = "Jello wo!+"']);
    expect(r.output).toEqual(['saved f\n']);
    expect(r.unsupported).toEqual([]);
    const history = r.crash.history();
    expect(history.records.filter((x) => x.kind === 'mark').map((x) => x.label)).toEqual(['output: "saved f\\n"']);
    const labels = history.records.filter((x) => x.kind === 'call').map((x) => x.label);
    expect(labels).toContain('fsync /tmp/a');
    expect(labels).toContain('fsyncDir /');
    // Every recorded call knows the strace line that made it.
    expect(r.sources.get(1)?.name).toBe('mkdirat');
  });

  it('reports what it cannot replay, and refuses io_uring', () => {
    const text = [
      `1 openat(AT_FDCWD, ${hex(`${D}/m`)}, O_RDWR|O_CREAT, 0644) = ${fd(3, `${D}/m`)}`,
      `1 mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_SHARED, ${fd(3, `${D}/m`)}, 0) = 0x7f0000000000`,
      `1 symlink(${hex(`${D}/m`)}, ${hex(`${D}/n`)}) = 0`,
      `1 rename(${hex('/outside/x')}, ${hex(`${D}/x`)}) = 0`,
      `1 write(${fd(9, `${D}/ghost`)}, ${hex('a')}, 1) = 1`,
    ].join('\n');
    const r = replayTrace(parseStrace(text), setting);
    expect(r.unsupported).toHaveLength(4);
    expect(r.unsupported.join('\n')).toMatch(/shared writable mmap[\s\S]*symlink is not replayed[\s\S]*moved into the directory from outside[\s\S]*opening the trace did not show/);
    expect(() => replayTrace(parseStrace('1 io_uring_setup(256, 0x7ffd) = 3'), setting)).toThrow(TraceRefused);
  });

  it('refuses a trace that does not replay (a call the simulated disk rejects), naming the line', () => {
    expect(() => replayTrace(parseStrace(`1 rename(${hex(`${D}/nothing`)}, ${hex(`${D}/b`)}) = 0`), setting)).toThrow(/replaying strace line 1 failed \(ENOENT/);
  });
});
