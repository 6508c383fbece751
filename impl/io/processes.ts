/**
 * Who this process is, and whether another one is still alive: what a lock needs to tell a held
 * lock from one left behind by a dead process. Injected like the Clock, so a simulation decides
 * which of its processes live (`sim/processes.ts`) and the real adapter asks the operating system.
 */

/** This process's identity and a liveness test for other owners. */
export interface ProcessProbe {
  /** This process's owner id, as written into lock files (no newline). */
  readonly self: string;
  /** True if the process named `owner` (another process's `self`) may still be running. */
  isAlive(owner: string): boolean;
}

/**
 * The real operating system: `self` is the pid; a pid is alive if signal 0 reaches it (EPERM
 * counts as alive: it exists, it is just not ours). Limits: pids are reused, so a long-dead
 * owner's pid may name a new, unrelated process (the lock is then judged held: safe, not live);
 * and pids mean nothing across machines, so the spool must not be on a shared network file
 * system (as the original says of its lock).
 */
export const osProcesses: ProcessProbe = {
  self: String(process.pid),
  isAlive(owner: string): boolean {
    const pid = Number(owner);
    if (!Number.isSafeInteger(pid) || pid <= 0) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
  },
};
