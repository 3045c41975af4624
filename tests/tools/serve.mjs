// A small static server for the built site, as a plain static host would serve it:
// no rewrites, correct MIME types (application/wasm), optional sub-path, and optional
// overlays that replace files under content/ (tests use them for broken or extra content).
// Run directly: node tests/tools/serve.mjs [--root dist] [--port 8080] [--base /courses/ml/]
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';
import { createHash } from 'node:crypto';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml', '.webmanifest': 'application/manifest+json',
};

/**
 * @param {{root: string, base?: string, port?: number, overlays?: Record<string, string | Buffer>, pages?: Record<string, string>, compress?: boolean, hold?: (rel: string) => Promise<void> | undefined}} options
 *   overlays: site-relative path (e.g. 'content/module-2/lesson-2.md') → replacement body.
 *   pages: extra absolute URL paths (e.g. '/host.html') → HTML (or JS for a '.js' path), for host pages around the site.
 *   compress: answer with brotli when the browser accepts it, as a real static host does
 *   (Lighthouse's timings mean something only then).
 *   hold: site-relative path → a promise to wait for (or nothing) before answering: a slow
 *   download, for as long as a test needs it to be.
 */
export async function startServer({ root, base = '/', port = 0, overlays = {}, pages = {}, compress = false, hold = () => undefined }) {
  const brotli = new Map();
  // Every request, as the host saw it: [path, status] (tests count downloads with it).
  const log = [];
  const send = (req, res, status, type, body) => {
    const headers = { 'content-type': type, 'cache-control': 'no-cache' };
    // An ETag, as static hosts send: the browser's revalidation of an unchanged file costs a
    // 304, not the file.
    if (status === 200) {
      headers.etag = `"${createHash('sha1').update(body).digest('hex')}"`;
      if (req.headers['if-none-match'] === headers.etag) {
        log.push([new URL(req.url, 'http://localhost').pathname, 304]);
        res.writeHead(304, headers);
        return res.end();
      }
    }
    log.push([new URL(req.url, 'http://localhost').pathname, status]);
    if (compress && status === 200 && /\bbr\b/.test(req.headers['accept-encoding'] ?? '')) {
      const key = createHash('sha1').update(body).digest('hex');
      if (!brotli.has(key)) brotli.set(key, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
      body = brotli.get(key);
      Object.assign(headers, { 'content-encoding': 'br', vary: 'accept-encoding' });
    }
    res.writeHead(status, headers);
    res.end(body);
  };
  const rootDir = resolve(root);
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const path = decodeURIComponent(url.pathname);
    if (pages[path] !== undefined) return send(req, res, 200, TYPES[extname(path)] ?? TYPES['.html'], pages[path]);
    if (!path.startsWith(base)) return send(req, res, 404, TYPES['.txt'], 'not found');
    let rel = path.slice(base.length);
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    await hold(rel);
    if (overlays[rel] !== undefined) return send(req, res, 200, TYPES[extname(rel)] ?? 'application/octet-stream', overlays[rel]);
    const file = normalize(join(rootDir, rel));
    if (!file.startsWith(rootDir)) return send(req, res, 403, TYPES['.txt'], 'forbidden');
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
      const body = await readFile(file);
      send(req, res, 200, TYPES[extname(file)] ?? 'application/octet-stream', body);
    } catch {
      send(req, res, 404, TYPES['.txt'], 'not found');
    }
  });
  await new Promise((ok) => server.listen(port, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { server, origin, url: origin + base, log, close: () => new Promise((ok) => { server.close(ok); server.closeAllConnections(); }) };
}


if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const { url } = await startServer({ root: arg('root', 'dist'), base: arg('base', '/'), port: Number(arg('port', 8080)), compress: process.argv.includes('--compress') });
  console.log(`serving ${arg('root', 'dist')} at ${url}`);
}
