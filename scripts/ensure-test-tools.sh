#!/usr/bin/env bash
# What the browser suites drive: Debian's Chromium and Firefox ESR (playwright and puppeteer cannot
# download browsers here), coturn (relay-only ICE restart scenarios), and WebKitGTK's WebDriver with
# Xvfb (apps/e2e-webkit: an engine without WebRTC; webkit2gtk-driver pulls the engine and the
# GStreamer plugins it needs). Installs the missing ones when we may (root with apt-get); otherwise
# says what to do.
set -euo pipefail
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
FIREFOX="${FIREFOX_PATH:-/usr/bin/firefox-esr}"
missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
[ -x "$FIREFOX" ] || missing+=(firefox-esr)
command -v turnserver >/dev/null 2>&1 || missing+=(coturn)
command -v WebKitWebDriver >/dev/null 2>&1 || missing+=(webkit2gtk-driver)
command -v Xvfb >/dev/null 2>&1 || missing+=(xvfb)
# redis-server: the signaling server's multi-instance tests start their own on 127.0.0.1.
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ "${#missing[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages for the browser tests: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "Missing for the browser tests: ${missing[*]} (Debian: apt-get install ${missing[*]};" \
  "or set CHROMIUM_PATH / FIREFOX_PATH)." >&2
exit 1
