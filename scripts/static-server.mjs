// A static file server for a built app's folder on 127.0.0.1 (a free port), for the browser
// test runners (apps/example-react, used by example-vue too, and apps/playground).
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

/** Serves `root` (its `index.html` at `/`); resolves with the listening `http.Server`. */
export function serveStatic(root) {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
    const file = path.join(root, url.pathname === '/' ? 'index.html' : url.pathname);
    try {
      if (!file.startsWith(root)) throw new Error('outside dist');
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
