// Reading and writing the user's own settings: reminders, the preview of
// the next digest, and the calendar subscription.

import { api } from "../../api/client";
import { settle, type Outcome } from "../../api/problem";
import { useLoad } from "../../api/useLoad";
import type {
  CalendarFeedCreated,
  CalendarFeedStatus,
  ContractCoverageChoice,
  ReminderDigestPreview,
  ReminderFrequencyChoice,
  ReminderSettings,
} from "../../api/types";

export function useReminderSettings() {
  return useLoad<ReminderSettings>("reminders", (signal) => settle(api.GET("/me/reminders", { signal }))).current;
}

export function saveReminderSettings(
  frequency: ReminderFrequencyChoice,
  horizonDays: number,
  choices: { contracts?: ContractCoverageChoice; calendar_contracts?: ContractCoverageChoice } = {},
): Promise<Outcome<ReminderSettings>> {
  return settle(api.PUT("/me/reminders", { body: { frequency, horizon_days: horizonDays, ...choices } }));
}

export function previewReminders(): Promise<Outcome<ReminderDigestPreview>> {
  return settle(api.GET("/me/reminders/preview"));
}

export function useCalendarFeed(version: number) {
  return useLoad<CalendarFeedStatus>(`calendar|${String(version)}`, (signal) => settle(api.GET("/me/calendar", { signal }))).current;
}

export function createCalendarFeed(): Promise<Outcome<CalendarFeedCreated>> {
  return settle(api.POST("/me/calendar"));
}

export function revokeCalendarFeed(): Promise<Outcome<unknown>> {
  return settle(api.DELETE("/me/calendar"));
}
