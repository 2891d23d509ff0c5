/**
 * Runs every benchmark in this folder (`*.bench.js` after the build) and prints its
 * figures next to the peer measured in the same run. Not a test: nothing here fails on
 * a number. `npm run bench -- NAME` runs only the benchmarks whose file name contains NAME.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface BenchModule {
  run(): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv[2];
const files = readdirSync(here)
  .filter((name) => /\.bench\.js$/.test(name))
  .filter((name) => !only || name.includes(only))
  .sort();

for (const file of files) {
  process.stdout.write(`\n== ${file.replace(/\.bench\.js$/, '')} ==\n`);
  const started = Date.now();
  const module = (await import(pathToFileURL(join(here, file)).href)) as BenchModule;
  await module.run();
  process.stdout.write(`(${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}
if (files.length === 0) process.stdout.write('no benchmarks found\n');
