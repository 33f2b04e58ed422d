/** Test workers log only warnings and errors, so test output shows what matters. */
import { DefaultLogger, Runtime } from '@temporalio/worker';

try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Installed already by an earlier file in this worker thread.
}
