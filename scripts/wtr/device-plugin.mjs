// Test-runner commands that put the test page on a phone: 360×740 CSS px, device scale 3,
// touch and a mobile user agent, through the DevTools protocol on the runner's own page.
//   executeServerCommand('ck-emulate-phone')   -> { ok: true }
//   executeServerCommand('ck-emulate-desktop') -> { ok: true }

const PHONE = {
  viewport: { width: 360, height: 740, deviceScaleFactor: 3, isMobile: true, hasTouch: true },
  userAgent:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36',
};

export function devicePlugin() {
  /** Test session id -> the DevTools session holding its phone emulation. */
  const sessions = new Map();
  return {
    name: 'ck-device',
    async executeCommand({ command, session }) {
      if (command !== 'ck-emulate-phone' && command !== 'ck-emulate-desktop') return undefined;
      const page = session.browser.getPage?.(session.id);
      if (!page) throw new Error(`${command}: this browser launcher does not expose its page`);
      // Raw CDP rather than page.emulate: puppeteer reloads the page when touch or mobile
      // mode changes, which would end the running test file. Emulation lasts as long as the
      // DevTools session that set it, so the session stays open until the desktop command.
      if (command === 'ck-emulate-phone') {
        const cdp = sessions.get(session.id) ?? (await page.createCDPSession());
        sessions.set(session.id, cdp);
        const { width, height, deviceScaleFactor } = PHONE.viewport;
        await cdp.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor, mobile: true });
        await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 5 });
        await cdp.send('Emulation.setUserAgentOverride', { userAgent: PHONE.userAgent });
      } else {
        const cdp = sessions.get(session.id);
        sessions.delete(session.id);
        await cdp?.detach().catch(() => {});
      }
      return { ok: true };
    },
  };
}
