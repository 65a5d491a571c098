// Test-runner commands that slow the test page's network through the DevTools protocol,
// so a test can watch something that is over in an instant on loopback (upload progress).
//   executeServerCommand('ck-throttle-network', { uploadBytesPerSecond }) -> { ok: true }
//   executeServerCommand('ck-unthrottle-network')                          -> { ok: true }

export function networkPlugin() {
  /** Test session id -> the DevTools session holding its throttling (it ends with the session). */
  const sessions = new Map();
  return {
    name: 'ck-network',
    async executeCommand({ command, payload, session }) {
      if (command !== 'ck-throttle-network' && command !== 'ck-unthrottle-network') return undefined;
      const page = session.browser.getPage?.(session.id);
      if (!page) throw new Error(`${command}: this browser launcher does not expose its page`);
      if (command === 'ck-throttle-network') {
        const rate = Number(payload?.uploadBytesPerSecond);
        if (!(rate > 0)) throw new Error('ck-throttle-network needs uploadBytesPerSecond > 0');
        const cdp = sessions.get(session.id) ?? (await page.createCDPSession());
        sessions.set(session.id, cdp);
        await cdp.send('Network.enable');
        await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: rate });
      } else {
        const cdp = sessions.get(session.id);
        sessions.delete(session.id);
        await cdp?.detach().catch(() => {});
      }
      return { ok: true };
    },
  };
}
