/** The floor of the cases benchmark: a workflow that starts, runs one activity and completes. */
import { proxyActivities } from '@temporalio/workflow';

const { touch } = proxyActivities<{ touch(id: number): Promise<number> }>({ startToCloseTimeout: '30 seconds' });

export async function trivial(id: number): Promise<number> {
  return touch(id);
}
