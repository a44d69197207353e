// `npm run bench -- <name> [args]`: runs bench/<name>.bench.ts, whose `main(args)` prints the workload,
// the figures, and the ratio to its baseline measured in the same run.
import * as fs from 'node:fs';
import * as path from 'node:path';

async function run(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const available = fs.readdirSync(__dirname).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace('.bench.ts', ''));
  if (!name || !available.includes(name)) {
    console.error(`usage: npm run bench -- <${available.join('|')}> [args]`);
    process.exit(2);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(__dirname, `${name}.bench.ts`)) as { main(args: string[]): Promise<void> };
  await mod.main(args);
}

run().then(() => process.exit(0), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
