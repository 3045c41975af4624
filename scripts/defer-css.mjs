// The full app's stylesheet (assets/app.css: quizzes, the test, labs, demos) is not for the
// first page. Trunk links every sheet in <head>, hashed and with an integrity digest; this
// turns the app's link into <meta name="aesop-app-css">, which assets/boot.js reads to load
// the sheet when the full app starts. Run after Trunk: node scripts/defer-css.mjs dist
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const indexPath = join(process.argv[2] ?? 'dist', 'index.html');
let html = readFileSync(indexPath, 'utf8');
const links = html.match(/<link\b[^>]*\bhref="?[^" >]*\bapp-[0-9a-f]+\.css"?[^>]*>/g) ?? [];
if (links.length !== 1) throw new Error(`index.html should link app.css once; found ${links.length} links`);
const [link] = links;
const attr = (name) => link.match(new RegExp(`\\b${name}="?([^" >]+)"?`))?.[1];
const integrity = attr('integrity');
html = html.replace(link, `<meta name="aesop-app-css" content="${attr('href')}"${integrity ? ` data-integrity="${integrity}"` : ''}>`);
writeFileSync(indexPath, html);
console.log(`[defer-css] ${attr('href')} loads with the full app`);
