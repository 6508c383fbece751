/**
 * An entry's data file, `S/.data/<name>`, as handed to the holder of a checked-out entry.
 */
import type { VfsStat } from '../io/vfs.ts';
import type { SpoolContext } from './context.ts';
import { readWholeFile } from '../io/files.ts';
import { decodeAt, vfsStep } from './errors.ts';

/** The data file of one entry. */
export interface DataFile<D> {
  /** `S/.data/<name>`. */
  readonly path: string;
  /** Reads and decodes the data: missing → `notFound`, undecodable → `corrupt`. */
  load(): Promise<D>;
  /** Stats the data file: missing → `notFound`. */
  stat(): Promise<VfsStat>;
}

/** The DataFile of entry `name` of the spool `ctx`. */
export function dataFileOf<Q extends string, M, D>(ctx: SpoolContext<Q, M, D>, name: string): DataFile<D> {
  const path = ctx.layout.dataFile(name);
  return {
    path,
    async load(): Promise<D> {
      const bytes = await vfsStep('read data', path, () => readWholeFile(ctx.vfs, path), { ENOENT: 'notFound' });
      return decodeAt((b) => ctx.spoolable.data.decode(b), bytes, path, 'data file');
    },
    stat: () => vfsStep('stat data', path, () => ctx.vfs.stat(path), { ENOENT: 'notFound' }),
  };
}
