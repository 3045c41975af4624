// Puts the built site under a Content-Security-Policy, as index.html's first <meta>. The
// page has no inline script to allow: assets/boot.js starts the app (Trunk's inline loader is
// replaced by a <meta> through Trunk.toml's pattern_script), and this fails the build if an
// inline script ever comes back. connect-src lists the site, the
// endpoint preset in llm-config.json, the origins a host adds there as "connect_src", and
// loopback (local models such as Ollama). Run after Trunk: node scripts/csp.mjs dist
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dist = process.argv[2] ?? 'dist';
const indexPath = join(dist, 'index.html');
let html = readFileSync(indexPath, 'utf8');

if (/<script(?![^>]*\bsrc=)[^>]*>/.test(html)) throw new Error('index.html has an inline script, which the policy would block');

const config = JSON.parse(readFileSync(join(dist, 'llm-config.json'), 'utf8'));
const origin = (url) => { try { return new URL(url).origin; } catch { return null; } };
// With no endpoint preset, learners may pick one of the providers the README documents.
const defaults = ['https://api.openai.com', 'https://api.anthropic.com', 'https://openrouter.ai', 'https://api.groq.com'];
const connect = new Set(["'self'", ...(config.endpoint ? [origin(config.endpoint)] : defaults), ...(config.connect_src ?? []).map(origin), 'http://localhost:*', 'http://127.0.0.1:*']);
connect.delete(null);

const policy = [
  "default-src 'self'",
  // wasm needs 'wasm-unsafe-eval' to compile; nothing else runs but files from this site.
  "script-src 'self' 'wasm-unsafe-eval'",
  // Styles may be inline: the formula renderer writes style attributes, and CSS cannot run code.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  `connect-src ${[...connect].join(' ')}`,
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');
// After the charset (it must stay in the first 1024 bytes); Trunk's minifier drops the quotes.
const charset = /<meta charset="?utf-8"?>/i;
if (!charset.test(html)) throw new Error('index.html has no <meta charset="utf-8"> to put the policy after');
html = html.replace(charset, (m) => `${m}<meta http-equiv="Content-Security-Policy" content="${policy}">`);
writeFileSync(indexPath, html);
console.log(`[csp] policy: ${policy}`);
