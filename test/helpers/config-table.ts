// The README's configuration table, rendered from the registry of core/config-vars.ts: one row per variable
// with its meaning, what it accepts and its default. test/foundation/config-docs.test.ts compares the README
// with it; after changing the registry, print it with
//   npx tsx -e "process.stdout.write(require('./test/helpers/config-table').configTable())"
// and paste it under "## Configuration".
import { VARS, type VarName, type VarSpec } from '../../core/config';

/** A table cell: pipes escaped. */
const cell = (s: string) => s.replace(/\|/g, '\\|');

/** The configuration table as Markdown lines (header first). */
export function configTable(): string {
  const rows = (Object.keys(VARS) as VarName[]).map((name) => {
    const v = VARS[name] as VarSpec<unknown>;
    return `| \`${name}\` | ${cell(v.doc)} | ${cell(v.kind.accepts)} | ${cell(v.shownDefault)} |`;
  });
  return ['| variable | meaning | accepts | default |', '|---|---|---|---|', ...rows].join('\n') + '\n';
}
