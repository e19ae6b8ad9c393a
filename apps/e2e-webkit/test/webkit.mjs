// WebKitGTK's MiniBrowser under Xvfb, driven over W3C WebDriver by WebKitWebDriver (Debian:
// webkit2gtk-driver, xvfb). Playwright cannot drive it (it needs its own patched WebKit), and its
// WebKit download is not reachable here. No npm dependency: the driver speaks HTTP.

import { spawn } from 'node:child_process';
import net from 'node:net';

export const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/** An Xvfb on a display it picks itself (`-displayfd` writes the number to fd 3). */
export async function startXvfb() {
  const xvfb = spawn(
    'Xvfb',
    ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'],
    {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  xvfb.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const display = await new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(
      () => reject(new Error(`Xvfb reported no display in 10 s: ${stderr}`)),
      10_000,
    );
    xvfb.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    xvfb.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited with ${code}: ${stderr}`));
    });
    xvfb.stdio[3].on('data', (chunk) => {
      buffer += chunk;
      if (buffer.includes('\n')) {
        clearTimeout(timer);
        resolve(`:${buffer.trim()}`);
      }
    });
  });
  return { display, stop: () => xvfb.kill('SIGTERM') };
}

/** The message WebKitWebDriver answers with once the web process crashed (WEBKIT.md: ~1 in 100). */
export const isPageCrash = (error) =>
  /page crash or hang|WebProcess CRASHED/i.test(String(error?.message ?? error));

/** Starts WebKitWebDriver and one MiniBrowser session on `display`. */
export async function startWebKit({ display, args = [], binary = MINIBROWSER }) {
  const port = await freePort();
  const driver = spawn('WebKitWebDriver', [`--port=${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DISPLAY: display },
  });
  let log = '';
  driver.stdout.on('data', (chunk) => {
    log += chunk;
  });
  driver.stderr.on('data', (chunk) => {
    log += chunk;
  });
  const exited = new Promise((resolve) => driver.on('exit', resolve));
  const wd = async (method, path, body) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await response.json().catch(() => ({}));
    if (!response.ok)
      throw new Error(
        `${method} ${path} -> ${response.status} ${JSON.stringify(json.value ?? json)}\n${log.slice(-2000)}`,
      );
    return json.value;
  };
  const stopDriver = async () => {
    driver.kill('SIGTERM');
    await exited;
  };
  try {
    // The driver answers /status within tens of ms; 10 s is for a loaded machine.
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        await wd('GET', '/status');
        break;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`WebKitWebDriver did not answer: ${error}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    }
    const { sessionId } = await wd('POST', '/session', {
      capabilities: {
        alwaysMatch: {
          browserName: 'MiniBrowser',
          'webkitgtk:browserOptions': { binary, args: ['--automation', ...args] },
        },
      },
    });
    const session = `/session/${sessionId}`;
    await wd('POST', `${session}/timeouts`, { pageLoad: 20_000 });
    return {
      goto: (url) => wd('POST', `${session}/url`, { url }),
      currentUrl: () => wd('GET', `${session}/url`),
      log: () => log,
      close: async () => {
        await wd('DELETE', session).catch(() => {});
        await stopDriver();
      },
    };
  } catch (error) {
    await stopDriver();
    throw error;
  }
}
