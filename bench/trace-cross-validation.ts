/**
 * Cross-validation of trace mode against the in-process crash suite (issue 13): spoolcheck's own
 * multispool, and its variants MS-1 (no directory fsyncs) and MS-5 (publish before the data is
 * durable), run as a real Node program on node:fs under `spoolcheck trace`
 * (`targets/trace/multispool/`), and checked in process by `crash/workloads-<profile>`. Prints,
 * per variant and profile, both verdicts and whether they agree. Needs strace; asserts nothing
 * (each trace takes a few tens of seconds: a checker run per crash state).
 *
 * Usage: npx tsx bench/trace-cross-validation.ts [VARIANT...]   (default: real MS-1 MS-5)
 */
import { main } from '../cli/main.ts';
import { DEFAULT_SEED } from '../cli/run-suites.ts';
import { PROPERTIES } from '../cli/suites.ts';
import { runProperty } from '../properties/suite.ts';
import { findVariant } from '../properties/variants.ts';
import { REAL_TARGET, variantTarget } from '../targets/builtin.ts';
import { PROFILES } from '../sim/crash/profiles.ts';

const DIR = new URL('../targets/trace/multispool/', import.meta.url).pathname;

/** The in-process verdict of `crash/workloads-<profile>` on `variant`. */
async function inProcess(variant: string, profile: string): Promise<'holds' | 'fails'> {
  const property = PROPERTIES.find((p) => p.suite === 'crash' && p.name === `workloads-${profile}`);
  if (property === undefined) throw new Error(`no crash/workloads-${profile}`);
  const v = findVariant(variant);
  const target = variant === 'real' ? REAL_TARGET : v === undefined ? undefined : variantTarget(v);
  if (target === undefined) throw new Error(`unknown variant ${variant}`);
  const o = await runProperty(property, { seed: DEFAULT_SEED, numRuns: property.defaultRuns, target }, () => performance.now());
  return o.verdict === 'fails' ? 'fails' : 'holds';
}

/** The trace-mode verdicts of `variant`, per profile. */
async function traced(variant: string): Promise<Map<string, { verdict: 'holds' | 'fails'; checked: number; inconsistent: number }>> {
  const out: string[] = [];
  const code = await main(['trace', '--json', '--checker', `node --import tsx ${DIR}check.ts ${variant}`, '--', 'node', '--import', 'tsx', `${DIR}workload.ts`, variant], { stdout: (t) => out.push(t), stderr: () => undefined }, () => performance.now());
  if (code === 2) throw new Error(`trace of ${variant} did not run`);
  const json = JSON.parse(out.join('\n')) as { profiles: { profile: string; checked: number; inconsistent: number }[] };
  return new Map(json.profiles.map((p) => [p.profile, { verdict: p.inconsistent > 0 ? 'fails' : 'holds', checked: p.checked, inconsistent: p.inconsistent }]));
}

const variants = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['real', 'MS-1', 'MS-5'];
console.log('variant  profile        in process  traced  (inconsistent of checked)  agree');
let disagreements = 0;
for (const variant of variants) {
  const started = performance.now();
  const trace = await traced(variant);
  for (const profile of PROFILES) {
    const t = trace.get(profile.name);
    const mine = await inProcess(variant, profile.name);
    const agree = t?.verdict === mine;
    if (!agree) disagreements++;
    console.log(`${variant.padEnd(8)} ${profile.name.padEnd(14)} ${mine.padEnd(11)} ${(t?.verdict ?? '-').padEnd(7)} ${`${t?.inconsistent ?? '-'} of ${t?.checked ?? '-'}`.padEnd(26)} ${agree ? 'yes' : 'NO'}`);
  }
  console.log(`  (${variant}: ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
console.log(disagreements === 0 ? 'every verdict agrees' : `${disagreements} verdict(s) disagree`);
