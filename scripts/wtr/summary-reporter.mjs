// @web/test-runner reporter (used next to the default one): counts individual tests across
// all files and prints, as the very last line of the run, a plain
//
//   N passed, N failed            (", N skipped" is added only when some were skipped)
//
// A test file that failed without any failing test (import error, failing before/after hook,
// timeout, browser crash) counts as one failed test, so "0 failed" always means a green run.
// The runner itself already exits non-zero on any failure.

function countSuite(suite, counts) {
  if (!suite) return;
  for (const test of suite.tests ?? []) {
    if (test.skipped) counts.skipped++;
    else if (test.passed) counts.passed++;
    else counts.failed++;
  }
  for (const child of suite.suites ?? []) countSuite(child, counts);
}

export function countSessions(sessions) {
  const total = { passed: 0, failed: 0, skipped: 0 };
  for (const session of sessions) {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    countSuite(session.testResults, counts);
    if (session.passed === false && counts.failed === 0) counts.failed = 1;
    total.passed += counts.passed;
    total.failed += counts.failed;
    total.skipped += counts.skipped;
  }
  return total;
}

export function formatCounts({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
}

/**
 * @param {{ onFileFinished?: (sessionIds: string[]) => void | Promise<void> }} [options]
 */
export function summaryReporter({ onFileFinished } = {}) {
  /** @type {string | null} */
  let line = null;
  let hooked = false;

  return {
    start() {
      if (hooked) return;
      hooked = true;
      // 'exit' runs after the runner's own final output; stdout writes are synchronous on Linux.
      process.on('exit', () => {
        if (line !== null) process.stdout.write(`\n${line}\n`);
      });
    },

    reportTestFileResults({ sessionsForTestFile }) {
      if (!onFileFinished) return;
      Promise.resolve(onFileFinished(sessionsForTestFile.map((s) => s.id))).catch((err) => console.error(err));
    },

    onTestRunFinished({ sessions }) {
      line = formatCounts(countSessions(sessions));
    },

    stop({ sessions }) {
      line = formatCounts(countSessions(sessions));
    },
  };
}
