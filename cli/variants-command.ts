/** `spoolcheck variants`: the buggy variants and the catalog entry each reproduces. */
import { VARIANTS } from '../properties/variants.ts';
import { formatTable, type Output } from './output.ts';

/** The bug catalogue as Markdown: what `docs/bug-catalogue.md` holds (`spoolcheck variants --markdown`). */
export function catalogueMarkdown(): string {
  const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    '# The bug catalogue',
    '',
    'Every bug spoolcheck knows how to plant: the catalogued bugs of the designs it checks (`catalogue`:',
    'bugs of the original Jane Street async_smtp multispool and message spool and of the MirageOS',
    'shared-block-ring, or of careless versions of them), and bugs of our own choosing (`own`, the ones a',
    'careless engineer writes). Each is a named variant of spoolcheck\'s real implementation (a quirk',
    'switched on in `impl/*/quirks.ts`, never a copy), and each is caught, at the default budget and',
    'seed, by the property named here, while the real implementation passes it',
    '(`properties/variants.test.ts` checks every line of this table). Run one with',
    '`npx spoolcheck run --variant ID`.',
    '',
    'This file is generated from the registry (`properties/variants.ts`): `npx spoolcheck variants --markdown > docs/bug-catalogue.md`.',
    '',
    '| id | origin | what goes wrong | caught by |',
    '|---|---|---|---|',
    ...VARIANTS.map((v) => `| ${v.id} | ${cell(v.catalog)} | ${cell(v.description)} | ${v.available ? `\`${v.caughtBy ?? '?'}\`` : 'suite not built yet'} |`),
    '',
  ];
  return lines.join('\n');
}

/** Prints the variant registry; returns the exit code (always 0). */
export function variantsCommand(json: boolean, out: Output, markdown = false): number {
  if (markdown) {
    out.stdout(catalogueMarkdown().trimEnd());
    return 0;
  }
  if (json) {
    out.stdout(
      JSON.stringify(
        VARIANTS.map((v) => ({
          id: v.id,
          catalog: v.catalog,
          description: v.description,
          suites: v.suites,
          available: v.available,
          ...(v.caughtBy === undefined ? {} : { caughtBy: v.caughtBy }),
        })),
        null,
        2,
      ),
    );
    return 0;
  }
  out.stdout(
    formatTable(
      ['id', 'catalog', 'suites', 'caught by', 'description'],
      VARIANTS.map((v) => [
        v.id,
        v.catalog,
        v.suites.join(','),
        v.available ? (v.caughtBy ?? '?') : 'suite not built yet',
        v.description,
      ]),
    ),
  );
  return 0;
}
