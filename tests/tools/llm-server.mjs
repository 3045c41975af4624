// A local LLM endpoint for the browser tests that speaks the real streaming protocols:
// OpenAI chat completions (SSE `data:` chunks ending in `[DONE]`) at /v1/chat/completions
// and Anthropic Messages (named events ending in `message_stop`) at /v1/messages.
// The model name picks the behaviour: any name streams a reply; `fault-401`, `fault-400`,
// `fault-403` (with the server's reason), `fault-404`, `fault-429`, `fault-429-date`
// (Retry-After as an HTTP date, 10 minutes ahead), `fault-500`, `fault-timeout`,
// `fault-malformed`, `fault-cut`, `fault-cors`, `fault-echo-key` (an error that quotes the
// request's key back) reproduce each failure; `stall` stops sending mid-reply but keeps the
// connection open; `endless` never stops sending; `empty-data` sends empty `data:` events
// between the pieces; `plain-json` answers with one JSON body, not a stream; `no-done`
// ends with a finish reason but no end marker; `length` stops at the token limit; `slow`
// streams slowly (for Stop); `xss` streams hostile Markdown; `image` streams a Markdown image
// of this server's /pixel.png; `long` streams a 20,000-character Markdown reply fast; `echo`
// streams the learner's whole message back; `echo-key` streams the request's key back.
// Every request is recorded for the tests to inspect. Listens on loopback only.
import { createServer } from 'node:http';

/** 20,000 characters of Markdown as a model writes it: headings, paragraphs, lists, code. */
export function longReply(target = 20000) {
  const parts = [];
  let n = 0;
  while (parts.join('').length < target) {
    n += 1;
    parts.push(`## Point ${n}\n\nWeighted cross-entropy scales each example's loss by its class weight, so the rare class pulls on the gradient as hard as the common one. With **6.25%** positives a weight near 15 balances them; recall on the positives is the number to watch, and *precision* the price you pay.\n\n`);
    parts.push(`- Check the confusion matrix on a held-out split (step ${n}).\n- Compare recall at a fixed false-positive rate.\n- Look at the loss curve of each class.\n\n`);
    if (n % 3 === 0) parts.push('```python\nweights = torch.tensor([1.0, 15.0])\nloss = F.cross_entropy(logits, y, weight=weights)\n\nprint(loss.item())\n```\n\n');
  }
  return parts.join('').slice(0, target);
}

export async function startLlmServer() {
  const requests = [];
  const pixels = [];
  const sockets = new Set();
  const server = createServer(async (req, res) => {
    const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'access-control-allow-methods': 'POST, OPTIONS', 'access-control-expose-headers': 'retry-after' };
    if (req.method === 'OPTIONS') { res.writeHead(204, cors); return res.end(); }
    if (req.method === 'GET' && req.url.startsWith('/pixel.png')) {
      pixels.push(req.url);
      res.writeHead(200, { ...cors, 'content-type': 'image/png' });
      return res.end(Buffer.from('89504e470d0a1a0a', 'hex'));
    }
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = JSON.parse(raw || '{}');
    requests.push({ path: req.url, headers: req.headers, body });
    const anthropic = req.url.endsWith('/v1/messages');
    const model = body.model ?? '';
    const key = req.headers['x-api-key'] ?? (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const fail = (status, error, extra = {}) => {
      res.writeHead(status, { ...cors, 'content-type': 'application/json', ...extra });
      res.end(JSON.stringify(anthropic ? { type: 'error', error } : { error }));
    };
    switch (model) {
      case 'fault-401': return fail(401, { type: 'authentication_error', message: 'invalid x-api-key' });
      case 'fault-400': return fail(400, { type: 'invalid_request_error', message: 'messages: text content blocks must be non-empty' });
      case 'fault-403': return anthropic
        ? fail(403, { type: 'permission_error', message: 'Your organization does not have access to this model' })
        : fail(403, { code: 'unsupported_country_region_territory', type: 'request_forbidden', message: 'Country, region, or territory not supported' });
      case 'fault-404': return fail(404, { type: 'not_found_error', message: `model: ${model}` });
      case 'fault-429': return fail(429, { type: 'rate_limit_error', code: 'rate_limit_exceeded', message: 'slow down' }, { 'retry-after': '3' });
      case 'fault-429-date': return fail(429, { type: 'rate_limit_error', code: 'rate_limit_exceeded', message: 'slow down' }, { 'retry-after': new Date(Date.now() + 600_000).toUTCString() });
      case 'fault-500': return fail(500, { type: 'api_error', message: 'internal error' });
      case 'fault-echo-key': return fail(400, { type: 'invalid_request_error', message: `header was Bearer ${key}; nothing else was wrong` });
      case 'fault-timeout': return; // never answers; the client's timeout must fire
      case 'fault-cors': res.writeHead(200, { 'content-type': 'text/event-stream' }); return res.end('data: [DONE]\n\n');
    }
    const messages = body.messages ?? [];
    const last = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    const text = model === 'echo' ? `You argued: ${last}` : model === 'xss'
      ? 'Look: <img src=x onerror="window.__xss=1"> and [click me](javascript:window.__xss=2) <script>window.__xss=3</script>'
      : model === 'image' ? `Here is the plot: ![loss curve](http://${req.headers.host}/pixel.png?from=reply) as promised.`
      : model === 'long' ? longReply()
      : model === 'echo-key' ? `Your request carried the key ${key} in its headers.`
      : `You argued: "${last.slice(0, 60)}". **Good start** — but what does that do to recall on the 800 positive images?`;
    const finish = model === 'length' ? (anthropic ? 'max_tokens' : 'length') : (anthropic ? 'end_turn' : 'stop');
    if (model === 'plain-json') {
      res.writeHead(200, { ...cors, 'content-type': 'application/json' });
      return res.end(JSON.stringify(anthropic
        ? { id: 'msg_1', type: 'message', role: 'assistant', content: [{ type: 'text', text: `Not streamed: ${text}` }], stop_reason: 'end_turn' }
        : { id: 'c1', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: `Not streamed: ${text}` }, finish_reason: 'stop' }] }));
    }
    res.writeHead(200, { ...cors, 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    if (model === 'fault-malformed') return res.end('data: <html>gateway page</html>\n\n');
    // `long` comes as a fast local model sends it: a token (a few characters) per event,
    // events in bursts of ten.
    const pieces = model === 'long' ? text.match(/.{1,5}/gs) : text.match(/.{1,7}/gs);
    const cutAt = model === 'fault-cut' ? Math.floor(pieces.length / 2) : model === 'stall' ? 4 : Infinity;
    const delay = model === 'slow' ? 250 : model === 'long' ? 4 : model === 'endless' ? 300 : 15;
    const sse = (event, data) => res.write(anthropic ? `event: ${event}\ndata: ${JSON.stringify(data)}\n\n` : `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\r\n\r\n`);
    const delta = (piece) => anthropic
      ? sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: piece } })
      : sse(null, { choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] });
    if (anthropic) {
      sse('message_start', { type: 'message_start', message: { id: 'msg_1', role: 'assistant', content: [] } });
      sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
      sse('ping', { type: 'ping' });
    } else {
      res.write(': keep-alive comment\n\n');
    }
    const wait = () => new Promise((ok) => setTimeout(ok, delay));
    if (model === 'endless') {
      for (let i = 0; !res.destroyed; i++) { await wait(); if (!res.destroyed) delta(`word${i} `); }
      return;
    }
    for (const [i, piece] of pieces.entries()) {
      if (i === cutAt) {
        if (model === 'stall') return; // the connection stays open, silent
        req.socket.destroy(); return;
      }
      if (model !== 'long' || i % 10 === 0) await wait();
      if (res.destroyed) return;
      // Keep-alives as some servers send them: an event whose data is empty.
      if (model === 'empty-data') res.write(i % 2 ? 'data:\n\n' : 'data: \r\n\r\n');
      delta(piece);
    }
    if (anthropic) {
      sse('content_block_stop', { type: 'content_block_stop', index: 0 });
      sse('message_delta', { type: 'message_delta', delta: { stop_reason: finish }, usage: { output_tokens: 42 } });
      if (model !== 'no-done') sse('message_stop', { type: 'message_stop' });
    } else {
      sse(null, { choices: [{ index: 0, delta: {}, finish_reason: finish }] });
      if (model !== 'no-done') {
        sse(null, { choices: [], usage: { total_tokens: 42 } });
        sse(null, '[DONE]');
      }
    }
    res.end();
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, requests, pixels, close: () => { for (const s of sockets) s.destroy(); return new Promise((ok) => server.close(ok)); } };
}
