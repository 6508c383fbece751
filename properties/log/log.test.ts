/**
 * The log suite can fail and can hold: nedb's findings (docs/findings.md) are found at the
 * default budget and seed; a careful log (a checksum per line, an fsync per append, a damaged
 * line skipped, a fresh line after a failed append, short writes looped over) holds every property; a careless one (JSON
 * lines, no fsync, a damaged line stops the open) fails under a power loss.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED } from '../../cli/run-suites.ts';
import { facadeModule } from '../../sim/node-fs/node-fs-module.ts';
import type { AppendLogAdapter } from '../../targets/append-log-adapter.ts';
import { NEDB_TARGET } from '../../targets/packages/nedb.ts';
import type { Target } from '../../targets/target.ts';
import { runProperty } from '../suite.ts';
import { LOG_CRASH_PROPERTIES } from './crash.ts';
import { assertLogUnderFault, logFaults } from './faults.ts';
import { LOG_PROPERTIES } from './index.ts';

const now = (): number => performance.now();

/** FNV-1a of a string, in hex: the check of a careful log's line. */
function check(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16);
}

/** A log of lines in `<dir>/log`: careful (see the module comment) or careless. */
function lineLog(careful: boolean): AppendLogAdapter {
  const fsp = facadeModule()['promises'] as typeof import('node:fs/promises');
  return {
    packages: [],
    promises: careful ? ['durable'] : ['kill-safe'],
    async load() {
      return {
        async open(dir) {
          const path = `${dir}/log`;
          let text = '';
          try {
            text = await fsp.readFile(path, 'utf8');
          } catch (err) {
            if ((err as { code?: unknown }).code !== 'ENOENT') throw err;
            const h = await fsp.open(path, 'a');
            await h.close();
            if (careful) {
              const d = await fsp.open(dir, 'r');
              await d.sync();
              await d.close();
            }
          }
          const records: string[] = [];
          for (const line of text.split('\n')) {
            if (careful) {
              const at = line.lastIndexOf('#');
              if (at > 0 && check(line.slice(0, at)) === line.slice(at + 1)) records.push(line.slice(0, at));
            } else if (line !== '') {
              records.push((JSON.parse(line) as { r: string }).r);
            }
          }
          // A torn last line, or a failed append, may have left a line unfinished: start afresh.
          let fresh = text !== '' && !text.endsWith('\n');
          return {
            async append(record) {
              const line = careful ? `${fresh ? '\n' : ''}${record}#${check(record)}\n` : `${JSON.stringify({ r: record })}\n`;
              fresh = careful;
              const h = await fsp.open(path, 'a');
              try {
                // FileHandle.write may write less than asked (a full disk): loop, as a careful writer must.
                const bytes = Buffer.from(line);
                for (let off = 0; off < bytes.length; ) off += (await h.write(bytes, off, bytes.length - off)).bytesWritten;
                if (careful) await h.sync();
              } finally {
                await h.close();
              }
              fresh = false;
              records.push(record);
            },
            records: async () => [...records],
            async close() {},
          };
        },
      };
    },
  };
}

const CAREFUL: Target = { name: 'careful-log', description: 'a careful line log', appendLog: lineLog(true) };
const CARELESS: Target = { name: 'careless-log', description: 'a careless line log', appendLog: lineLog(false) };

describe('the log suite', () => {
  it('finds nedb refusing to open after a kill during an insert of a document of more than a page', async () => {
    const property = LOG_CRASH_PROPERTIES.find((p) => p.name === 'crash-process-crash');
    if (property === undefined) throw new Error('no crash-process-crash property');
    const o = await runProperty(property, { seed: DEFAULT_SEED, numRuns: property.defaultRuns, target: NEDB_TARGET }, now);
    expect(o.verdict).toBe('fails');
    expect(o.counterexample).toMatch(/inside call #\d+ `write \/data\/log\.db/);
    expect(o.counterexample).toMatch(/opening the log again fails.*Cautiously refusing to start NeDB/);
  });

  it('finds nedb refusing to open after an insert failed on a full disk and the next one resolved', async () => {
    const o = await runProperty(logFaults, { seed: DEFAULT_SEED, numRuns: logFaults.defaultRuns, target: NEDB_TARGET }, now);
    expect(o.verdict).toBe('fails');
    expect(o.counterexample).toMatch(/under disk full after \d+ bytes/);
    expect(o.counterexample).toMatch(/→ resolved/);
  });

  it('with ten documents before it, nedb opens but has silently lost the insert that resolved after the one that failed', async () => {
    const adapter = NEDB_TARGET.appendLog as AppendLogAdapter;
    const run = assertLogUnderFault(adapter, [...Array<number>(10).fill(16), 1, 1], 10, { diskFullAtPercent: 20 });
    await expect(run).rejects.toThrow(/record #12 "r0012" is lost, though its append had resolved/);
    await expect(assertLogUnderFault(adapter, [...Array<number>(10).fill(16), 1, 1], 10, { diskFullAtPercent: 20 })).rejects.not.toThrow(/opening the log again fails/);
  });

  it('a careful log holds every property of the suite', async () => {
    for (const property of LOG_PROPERTIES) {
      const o = await runProperty(property, { seed: DEFAULT_SEED, numRuns: property.testRuns, target: CAREFUL }, now);
      expect(`${property.name}: ${o.counterexample ?? ''}`).toBe(`${property.name}: `);
      expect(o.verdict).toBe('holds');
    }
  });

  it('a careless log fails under a power loss: a torn last line stops the open', async () => {
    const property = LOG_CRASH_PROPERTIES.find((p) => p.name === 'crash-strict');
    if (property === undefined) throw new Error('no crash-strict property');
    const o = await runProperty(property, { seed: DEFAULT_SEED, numRuns: property.defaultRuns, target: CARELESS }, now);
    expect(o.verdict).toBe('fails');
    expect(o.counterexample).toMatch(/opening the log again fails/);
  });
});
