// How every tool here launches Debian's Chromium (tests, bench, screenshots): never a
// downloaded browser, and none of the background traffic this machine's closed network refuses.
export const CHROMIUM = process.env.CK_CHROMIUM || '/usr/bin/chromium';

export const CHROMIUM_ARGS = Object.freeze([
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  // Voice recording tests: a synthetic microphone, granted without a prompt.
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
]);
