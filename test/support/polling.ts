/**
 * Reads until the value read is what the test waits for, and answers it: for state another
 * process writes a moment later (a workflow's activity, the outbox, a worker after a restart).
 * Gives up after `timeoutMs`, saying what it last saw.
 */
export async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
  intervalMs = 50,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > end)
      throw new Error(`gave up waiting after ${timeoutMs / 1000} s; last seen ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
