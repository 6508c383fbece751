/** `spoolcheck variants`: the buggy variants and the catalog entry each reproduces. */
import { VARIANTS } from '../properties/variants.ts';
import { formatTable, type Output } from './output.ts';

/** Prints the variant registry; returns the exit code (always 0). */
export function variantsCommand(json: boolean, out: Output): number {
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
