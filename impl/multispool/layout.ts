/**
 * Where everything of a spool lives (docs/multispool-protocol.md), and which entry names are valid.
 *
 * - `S/.registry/<name>`: reserves the name for the entry's whole life;
 * - `S/.tmp/<name>`: staging for metadata files;
 * - `S/.data/<name>`: the entry's data;
 * - `S/<queueDir(q)>/<name>`: the entry is in queue q;
 * - `S/<queueDir(q)>/.checkout/<name>`: the entry is checked out of q.
 */
import { join } from '../io/vfs.ts';
import { SpoolError } from './errors.ts';
import type { Spoolable } from './spoolable.ts';

/** The registry directory's name under the spool. */
export const REGISTRY_DIR = '.registry';
/** The staging directory's name under the spool. */
export const TMP_DIR = '.tmp';
/** The data directory's name under the spool. */
export const DATA_DIR = '.data';
/** The checkout directory's name under each queue directory. */
export const CHECKOUT_DIR = '.checkout';

/** The paths of one spool directory `S`. */
export interface SpoolLayout<Q extends string> {
  /** `S` itself. */
  readonly root: string;
  /** `S/.registry`. */
  readonly registryDir: string;
  /** `S/.tmp`. */
  readonly tmpDir: string;
  /** `S/.data`. */
  readonly dataDir: string;
  /** `S/<queueDir(q)>`. */
  queueDir(queue: Q): string;
  /** `S/<queueDir(q)>/.checkout`. */
  checkoutDir(queue: Q): string;
  /** `S/.registry/<name>`. */
  registryFile(name: string): string;
  /** `S/.tmp/<name>`. */
  tmpFile(name: string): string;
  /** `S/.data/<name>`. */
  dataFile(name: string): string;
  /** `S/<queueDir(q)>/<name>`. */
  queueFile(queue: Q, name: string): string;
  /** `S/<queueDir(q)>/.checkout/<name>`. */
  checkoutFile(queue: Q, name: string): string;
}

/** The layout of spool directory `root` for the queues of `spoolable`. */
export function spoolLayout<Q extends string>(root: string, spoolable: Pick<Spoolable<Q, unknown, unknown>, 'queueDir'>): SpoolLayout<Q> {
  const registryDir = join(root, REGISTRY_DIR);
  const tmpDir = join(root, TMP_DIR);
  const dataDir = join(root, DATA_DIR);
  const queueDir = (queue: Q): string => join(root, spoolable.queueDir(queue));
  const checkoutDir = (queue: Q): string => join(queueDir(queue), CHECKOUT_DIR);
  return {
    root,
    registryDir,
    tmpDir,
    dataDir,
    queueDir,
    checkoutDir,
    registryFile: (name) => join(registryDir, name),
    tmpFile: (name) => join(tmpDir, name),
    dataFile: (name) => join(dataDir, name),
    queueFile: (queue, name) => join(queueDir(queue), name),
    checkoutFile: (queue, name) => join(checkoutDir(queue), name),
  };
}

/**
 * A valid entry name is one visible path component: non-empty, without `/` or NUL, and not
 * starting with `.` (so never `.`, `..`, `.checkout`, ...).
 */
export function isValidName(name: string): boolean {
  return name.length > 0 && !name.includes('/') && !name.includes('\0') && !name.startsWith('.');
}

/**
 * Returns `name` when valid; otherwise throws SpoolError `invalidName`. `source` says where the name
 * came from; `dir` is the spool directory it was meant for (e.g. `S/.registry`): the error's `path`,
 * named in its message like every SpoolError's path.
 */
export function validateName(name: string, source: string, dir: string): string {
  if (!isValidName(name)) {
    throw new SpoolError(
      'invalidName',
      `${source} ${JSON.stringify(name)} is not a valid entry name in ${dir} (it must be non-empty, contain no '/' or NUL, and not start with '.')`,
      { path: dir },
    );
  }
  return name;
}
