// Chromium (playwright-core) and Firefox ESR (puppeteer-core over WebDriver BiDi), behind one
// small page interface: `call(method, arg)` runs `window.e2e[method](arg)` in the page.

import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_FLAGS as BASE_FLAGS } from '../../../../scripts/chromium-flags.mjs';

const CHROMIUM_FLAGS = [
  ...BASE_FLAGS,
  // Hidden pages must not throttle the timers the machines run on.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

const FIREFOX_PREFS = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'media.autoplay.default': 0,
  'media.autoplay.blocking_policy': 0,
  // TURN and host candidates live on 127.0.0.1 here.
  'media.peerconnection.ice.loopback': true,
  'media.peerconnection.ice.obfuscate_host_addresses': false,
};

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

export async function launchChromium() {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
    timeout: 30_000,
  });
  return {
    version: `Chromium ${browser.version()}`,
    async newPage(label) {
      const context = await browser.newContext();
      const page = await context.newPage();
      return wrap(label, 'chromium', page, {
        close: () => context.close(),
        cdp: () => context.newCDPSession(page),
      });
    },
    close: () => browser.close(),
  };
}

export async function launchFirefox() {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    extraPrefsFirefox: FIREFOX_PREFS,
    timeout: 30_000,
  });
  return {
    version: `Firefox ${(await browser.version()).replace(/^firefox\//, '')}`,
    async newPage(label) {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      return wrap(label, 'firefox', page, { close: () => context.close(), cdp: undefined });
    },
    close: () => browser.close(),
  };
}

function wrap(label, browserName, page, { close, cdp }) {
  const consoleLines = [];
  const pageErrors = [];
  page.on('console', (message) => {
    const line = `[${message.type()}] ${message.text()}`;
    consoleLines.push(line);
    if (consoleLines.length > 2_000) consoleLines.shift();
  });
  page.on('pageerror', (error) => pageErrors.push(String(error?.stack ?? error)));
  return {
    label,
    browserName,
    consoleLines,
    pageErrors,
    cdp,
    async open(origin, prelude) {
      await page.goto(`${origin}/p/${prelude}`, { waitUntil: 'load' });
      const deadline = Date.now() + 10_000;
      while (!(await page.evaluate(() => Boolean(window.e2e)))) {
        if (Date.now() > deadline)
          throw new Error(
            `${label}: the fixture did not load (${pageErrors[0] ?? 'no page error'})`,
          );
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    /** `window.e2e[method](arg)` in the page; page errors come back as a rejection. */
    async call(method, arg) {
      try {
        return await page.evaluate(([m, a]) => window.e2e[m](a), [method, arg ?? {}]);
      } catch (error) {
        const message = String(error?.message ?? error).split('\n')[0];
        throw new Error(`${label} (${browserName}) e2e.${method}: ${message}`);
      }
    },
    pre: () => page.evaluate(() => window.__pre),
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    screenshot: (path) => page.screenshot({ path, fullPage: true }),
    /** Closes the tab as a user does (`runBeforeUnload`: with the page's beforeunload run first). */
    closeTab: (options) => page.close(options),
    /** Kills the page's renderer (Chromium's `Page.crash`): no pagehide, no script runs. */
    async crash() {
      if (!cdp) throw new Error(`${browserName} cannot crash a page here`);
      const session = await cdp();
      // The call never answers: the page it would answer from is gone.
      session.send('Page.crash').catch(() => {});
    },
    close,
  };
}
