/**
 * Root hooks for the plain-mocha stages (unit, interop; loaded with --require). Mocha re-emits an unhandled
 * rejection on `process` and, with nobody listening, nothing happens: a promise that rejects into the void would
 * pass unseen. Here every one is recorded and fails the test during which it surfaced (or the run, at the end).
 */
// A Set: mocha's own listener re-emits each rejection on `process`, so this listener hears it twice.
const unhandled = new Set<unknown>();

process.on('unhandledRejection', (reason) => {
  unhandled.add(reason);
});

function check(where: string): void {
  if (unhandled.size > 0) {
    const found = [...unhandled];
    unhandled.clear();
    const text = found.map((r) => (r instanceof Error ? (r.stack ?? r.message) : String(r))).join('\n---\n');
    throw new Error(`${found.length} unhandled promise rejection(s) ${where}:\n${text}`);
  }
}

export const mochaHooks = {
  async afterEach(): Promise<void> {
    // A rejection is reported one turn after it happens: let it surface before judging this test.
    await new Promise((resolve) => setImmediate(resolve));
    check('during this test');
  },
  afterAll(): void {
    check('after the last test');
  },
};
