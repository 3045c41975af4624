// Fails when any 12-word run of the seed course text appears in content/.
// The seed lives outside the repository (../shared/seed/); where it is absent there is
// nothing to compare against, and the check says so instead of passing silently.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const RUN = 12;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const seed = process.env.AESOP_SEED ?? resolve(root, '../shared/seed/module-2.txt');

const words = (text) =>
  text.toLowerCase().replace(/[’‘]/g, "'").split(/[^a-z0-9']+/).filter(Boolean);

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.(md|json)$/.test(name)) yield path;
  }
}

if (!existsSync(seed)) {
  console.log(`originality: no seed at ${seed}; nothing to compare (set AESOP_SEED)`);
  process.exit(0);
}
const seedWords = words(readFileSync(seed, 'utf8'));
const runs = new Set();
for (let i = 0; i + RUN <= seedWords.length; i++) runs.add(seedWords.slice(i, i + RUN).join(' '));

let copied = 0;
const target = process.argv[2] ?? join(root, 'content');
for (const path of files(target)) {
  const w = words(readFileSync(path, 'utf8'));
  for (let i = 0; i + RUN <= w.length; i++) {
    const run = w.slice(i, i + RUN).join(' ');
    if (runs.has(run)) {
      copied++;
      console.log(`${path}: copies the seed: "${run}"`);
      i += RUN - 1;
    }
  }
}
if (copied) {
  console.log(`originality: ${copied} run(s) of ${RUN} words copied from the seed`);
  process.exit(1);
}
console.log(`originality: no ${RUN}-word run of the seed appears in ${target}`);
