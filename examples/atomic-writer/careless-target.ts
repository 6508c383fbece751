/** `npx spoolcheck run --target examples/atomic-writer/careless-target.ts`: every safety step off. */
import type { Target } from '../../targets/target.ts';
import { writerAdapter } from './adapter.ts';
import { CARELESS } from './options.ts';

const target: Target = { name: 'atomic-writer-careless', description: 'the config saver of examples/atomic-writer, written in a hurry', fileWriter: writerAdapter(CARELESS) };
export default target;
