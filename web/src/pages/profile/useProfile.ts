// Reading and writing the user's own settings: reminders, the preview of
// the next digest, and the calendar subscription.

import { settle, type Outcome } from "../../api/problem";
import { provisional } from "../../api/provisional";
import { useLoad } from "../../api/useLoad";
import type {
  CalendarFeedCreated,
  CalendarFeedStatus,
  ReminderDigestPreview,
  ReminderFrequency,
  ReminderSettings,
} from "../../api/types";

export function useReminderSettings() {
  return useLoad<ReminderSettings>("reminders", (signal) => settle(provisional<ReminderSettings>("GET", "/me/reminders", { signal }))).current;
}

export function saveReminderSettings(frequency: ReminderFrequency, horizonDays: number): Promise<Outcome<ReminderSettings>> {
  return settle(provisional<ReminderSettings>("PUT", "/me/reminders", { body: { frequency, horizon_days: horizonDays } }));
}

export function previewReminders(): Promise<Outcome<ReminderDigestPreview>> {
  return settle(provisional<ReminderDigestPreview>("GET", "/me/reminders/preview"));
}

export function useCalendarFeed(version: number) {
  return useLoad<CalendarFeedStatus>(`calendar|${String(version)}`, (signal) =>
    settle(provisional<CalendarFeedStatus>("GET", "/me/calendar", { signal })),
  ).current;
}

export function createCalendarFeed(): Promise<Outcome<CalendarFeedCreated>> {
  return settle(provisional<CalendarFeedCreated>("POST", "/me/calendar"));
}

export function revokeCalendarFeed(): Promise<Outcome<unknown>> {
  return settle(provisional<unknown>("DELETE", "/me/calendar"));
}
