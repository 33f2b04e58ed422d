/**
 * For workflows a Temporal Schedule starts with no arguments: the day they run for is the
 * schedule's nominal action time read as a date in America/Chicago (not when a late worker picked
 * the run up, so a run caught up after an outage still works for its own day).
 */
import { workflowInfo } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { REGISTRY_TIME_ZONE } from '../rules/domain.js';

const SCHEDULED_START = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

/** A Chicago calendar date of an instant (the sandbox's Intl carries the time-zone data). */
export function chicagoDateOf(instant: Date): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: REGISTRY_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** When the schedule meant this run to start (not when a late worker picked it up); when started by hand, its start. */
export function scheduledInstant(): Date {
  const info = workflowInfo();
  return info.typedSearchAttributes.get(SCHEDULED_START) ?? info.startTime;
}

/** The day a scheduled run is for: its nominal time as a Chicago date. */
export const scheduledChicagoDate = () => chicagoDateOf(scheduledInstant());
