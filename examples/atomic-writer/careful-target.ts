/** `npx spoolcheck run --target examples/atomic-writer/careful-target.ts`: every safety step on. */
import type { Target } from '../../targets/target.ts';
import { writerAdapter } from './adapter.ts';
import { CAREFUL } from './options.ts';

const target: Target = { name: 'atomic-writer-careful', description: 'the config saver of examples/atomic-writer, every safety step on', fileWriter: writerAdapter(CAREFUL) };
export default target;
