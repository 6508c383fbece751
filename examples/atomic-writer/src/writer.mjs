// A small "save the config file" helper, written as an application author would, in plain
// JavaScript on Node's own node:fs/promises: write a temporary file, fsync it, rename it over the
// old one, fsync the directory. Each safety step can be switched off (../options.ts), to show what
// finds its absence. Its types are in writer.d.mts.
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Replaces the content of the file at `path` by `data`, with the safety steps `o`. */
export async function replaceFile(path, data, o) {
  const target = o.tmpThenRename ? join(dirname(path), `.${basename(path)}.tmp`) : path;
  const bytes = Buffer.from(data);
  const file = await open(target, 'w');
  try {
    if (o.loopShortWrites) {
      let done = 0;
      while (done < bytes.length) done += (await file.write(bytes, done, bytes.length - done, done)).bytesWritten;
    } else {
      await file.write(bytes, 0, bytes.length, 0);
    }
    if (o.fsyncFile) await file.sync();
  } catch (err) {
    await file.close();
    if (o.tmpThenRename) await unlink(target).catch(() => undefined);
    throw err;
  }
  await file.close();
  if (o.tmpThenRename) await rename(target, path);
  if (o.fsyncDir) {
    const dir = await open(dirname(path), 'r');
    await dir.sync();
    await dir.close();
  }
}
