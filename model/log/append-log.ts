/**
 * What an append log may give back when it is opened again (the contract of
 * `targets/append-log-adapter.ts`): the records appended so far, in order, the last of them
 * possibly still in flight, and appends that failed; those of `mustSurvive` must be there.
 *
 * Always: only appended records (whole: a record is compared in full), each at most once, in the
 * order they were appended. Which records are required depends on what the log promises and on
 * what happened (a kill, a power loss, a failed write): the caller says, by `mustSurvive`.
 */

/** The appends so far. */
export interface Appends {
  /** Every record whose append had started, in order (failed ones and the in-flight one included). */
  readonly records: readonly string[];
  /** The indexes (into `records`) of those that must survive. */
  readonly mustSurvive: readonly number[];
}

/** Quotes a record for a message, shortened. */
export function quoteRecord(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 37)}...` : s) + (s.length > 40 ? ` (${s.length} bytes)` : '');
}

/** What is wrong with the log giving back `got`, given `appends`: one line per violation; empty if nothing. */
export function judgeRecords(appends: Appends, got: readonly string[]): string[] {
  const violations: string[] = [];
  const position = new Map(appends.records.map((r, i) => [r, i]));
  const seen = new Set<string>();
  let last = -1;
  for (const r of got) {
    if (seen.has(r)) violations.push(`record ${quoteRecord(r)} is back twice`);
    seen.add(r);
    const i = position.get(r);
    if (i === undefined) {
      violations.push(`record ${quoteRecord(r)} was never appended (a phantom or a damaged record)`);
      continue;
    }
    if (i < last) violations.push(`record ${quoteRecord(r)} (appended #${i + 1}) comes back after record #${last + 1}: out of order`);
    last = Math.max(last, i);
  }
  for (const i of appends.mustSurvive) {
    const r = appends.records[i] as string;
    if (!seen.has(r)) violations.push(`record #${i + 1} ${quoteRecord(r)} is lost, though its append had resolved and it must survive this`);
  }
  return violations;
}
