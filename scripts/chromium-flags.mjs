// The Chromium flags every browser test and bench starts Debian's chromium with: no sandbox or
// GPU (root, headless machines), no QUIC and no background traffic (nothing leaves 127.0.0.1:
// sync, component updates, first-run pings), fake camera and microphone granted without a
// prompt, and media that plays without a user gesture. Each runner adds its own after these.
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
];
