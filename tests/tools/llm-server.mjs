// A local LLM endpoint for the browser tests that speaks the real streaming protocols:
// OpenAI chat completions (SSE `data:` chunks ending in `[DONE]`) at /v1/chat/completions
// and Anthropic Messages (named events ending in `message_stop`) at /v1/messages.
// The model name picks the behaviour: any name streams a reply; `fault-401`, `fault-404`,
// `fault-429`, `fault-500`, `fault-timeout`, `fault-malformed`, `fault-cut`, `fault-cors`
// reproduce each failure; `slow` streams slowly (for Stop); `xss` streams hostile Markdown; `echo`
// streams the learner's whole message back.
// Every request is recorded for the tests to inspect. Listens on loopback only.
import { createServer } from 'node:http';

export async function startLlmServer() {
  const requests = [];
  const sockets = new Set();
  const server = createServer(async (req, res) => {
    const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'access-control-allow-methods': 'POST, OPTIONS', 'access-control-expose-headers': 'retry-after' };
    if (req.method === 'OPTIONS') { res.writeHead(204, cors); return res.end(); }
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = JSON.parse(raw || '{}');
    requests.push({ path: req.url, headers: req.headers, body });
    const anthropic = req.url.endsWith('/v1/messages');
    const model = body.model ?? '';
    const fail = (status, error, extra = {}) => {
      res.writeHead(status, { ...cors, 'content-type': 'application/json', ...extra });
      res.end(JSON.stringify(anthropic ? { type: 'error', error } : { error }));
    };
    switch (model) {
      case 'fault-401': return fail(401, { type: 'authentication_error', message: 'invalid x-api-key' });
      case 'fault-404': return fail(404, { type: 'not_found_error', message: `model: ${model}` });
      case 'fault-429': return fail(429, { type: 'rate_limit_error', code: 'rate_limit_exceeded', message: 'slow down' }, { 'retry-after': '3' });
      case 'fault-500': return fail(500, { type: 'api_error', message: 'internal error' });
      case 'fault-timeout': return; // never answers; the client's timeout must fire
      case 'fault-cors': res.writeHead(200, { 'content-type': 'text/event-stream' }); return res.end('data: [DONE]\n\n');
    }
    res.writeHead(200, { ...cors, 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    if (model === 'fault-malformed') return res.end('data: <html>gateway page</html>\n\n');
    const messages = body.messages ?? [];
    const last = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    const text = model === 'echo' ? `You argued: ${last}` : model === 'xss'
      ? 'Look: <img src=x onerror="window.__xss=1"> and [click me](javascript:window.__xss=2) <script>window.__xss=3</script>'
      : `You argued: "${last.slice(0, 60)}". **Good start** — but what does that do to recall on the 800 positive images?`;
    const pieces = text.match(/.{1,7}/gs);
    const cutAt = model === 'fault-cut' ? Math.floor(pieces.length / 2) : Infinity;
    const delay = model === 'slow' ? 250 : 15;
    const sse = (event, data) => res.write(anthropic ? `event: ${event}\ndata: ${JSON.stringify(data)}\n\n` : `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\r\n\r\n`);
    if (anthropic) {
      sse('message_start', { type: 'message_start', message: { id: 'msg_1', role: 'assistant', content: [] } });
      sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
      sse('ping', { type: 'ping' });
    } else {
      res.write(': keep-alive comment\n\n');
    }
    for (const [i, piece] of pieces.entries()) {
      if (i === cutAt) { req.socket.destroy(); return; }
      await new Promise((ok) => setTimeout(ok, delay));
      if (res.destroyed) return;
      if (anthropic) sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: piece } });
      else sse(null, { choices: [{ index: 0, delta: { content: piece } }] });
    }
    if (anthropic) {
      sse('content_block_stop', { type: 'content_block_stop', index: 0 });
      sse('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn' } });
      sse('message_stop', { type: 'message_stop' });
    } else {
      sse(null, { choices: [], usage: { total_tokens: 42 } });
      sse(null, '[DONE]');
    }
    res.end();
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, requests, close: () => { for (const s of sockets) s.destroy(); return new Promise((ok) => server.close(ok)); } };
}
