/**
 * The live lines of `spoolcheck run` on a terminal: one line per running property (runs done of
 * its budget, runs per second, time left at that rate; "shrinking" once it failed), redrawn in
 * place below the permanent lines (a property's "ok"/"FAIL" line is printed above them as it
 * ends). Only for a terminal: the CLI uses it when standard output is a TTY and --json is not
 * given, so logs and pipes get the plain lines alone.
 */

/** Where the live lines are drawn: raw text (escape sequences included) and the width. */
export interface Terminal {
  write(text: string): void;
  readonly columns: number;
}

interface Running {
  readonly name: string;
  readonly budget: number;
  readonly started: number;
  done: number;
  shrinking: boolean;
}

/** Redraws at most this often, in ms. */
const REDRAW_MS = 100;

/** The live block of running properties. */
export class LiveProgress {
  private readonly running = new Map<string, Running>();
  private drawn = 0;
  private lastDraw = -Infinity;

  constructor(
    private readonly terminal: Terminal,
    private readonly now: () => number,
  ) {}

  /** A run of `name` (of `budget` runs) started: its search index, or undefined while shrinking. */
  run(name: string, budget: number, searchIndex: number | undefined): void {
    let r = this.running.get(name);
    if (r === undefined) {
      r = { name, budget, started: this.now(), done: 0, shrinking: false };
      this.running.set(name, r);
    }
    if (searchIndex === undefined) r.shrinking = true;
    else r.done = searchIndex;
    if (this.now() - this.lastDraw >= REDRAW_MS) this.draw();
  }

  /** Prints a permanent line above the live block (a property ended, or any message). */
  line(text: string, ended?: string): void {
    if (ended !== undefined) this.running.delete(ended);
    this.clear();
    this.terminal.write(`${text}\n`);
    this.draw();
  }

  /** Removes the live block (before the summary). */
  close(): void {
    this.running.clear();
    this.clear();
  }

  /** The text of one running property's line. */
  static describe(r: { name: string; budget: number; done: number; shrinking: boolean }, elapsedMs: number): string {
    if (r.shrinking) return `  ... ${r.name}: failed, shrinking (${(elapsedMs / 1000).toFixed(0)} s)`;
    const rate = elapsedMs > 0 ? (r.done * 1000) / elapsedMs : 0;
    const left = rate > 0 ? `, ~${Math.ceil((r.budget - r.done) / rate)} s left` : '';
    return `  ... ${r.name}: ${r.done} of ${r.budget} runs, ${rate < 10 ? rate.toFixed(1) : Math.round(rate)}/s${left}`;
  }

  private clear(): void {
    // Up to the first live line, then clear to the end of the screen.
    if (this.drawn > 0) this.terminal.write(`\x1b[${this.drawn}F\x1b[J`);
    this.drawn = 0;
  }

  private draw(): void {
    this.clear();
    const width = Math.max(20, this.terminal.columns - 1);
    const lines = [...this.running.values()].map((r) => LiveProgress.describe(r, this.now() - r.started).slice(0, width));
    for (const l of lines) this.terminal.write(`${l}\n`);
    this.drawn = lines.length;
    this.lastDraw = this.now();
  }
}
