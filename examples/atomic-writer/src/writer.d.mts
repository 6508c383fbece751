import type { WriterOptions } from '../options.ts';

/** Replaces the content of the file at `path` by `data`, with the safety steps `o`. */
export function replaceFile(path: string, data: string, o: WriterOptions): Promise<void>;
