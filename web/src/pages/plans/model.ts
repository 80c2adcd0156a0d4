// How the tender plan pages read the API's objects: Danish labels for the
// codes, a planned tender as a row of the timeline, who may answer for a
// participant, and the threshold verdict and back-planning in words.

import type { Me, Participant, PlannedTender, ThresholdVerdict } from "../../api/types";
import { formatAmount, formatDate } from "../../format";
import { t, tOptional } from "../../i18n";
import type { TimelineItem } from "./timeline";

/** The statuses of a planned tender, in the order they happen. */
export const TENDER_STATUSES = ["idea", "planned", "preparing", "published", "awarded", "cancelled"] as const;

/** The milestones of a planned tender, in the order they happen. */
export const MILESTONE_KINDS = [
  "needs_analysis",
  "market_dialogue",
  "publication",
  "bid_deadline",
  "award",
  "contract_start",
] as const;

export const PARTICIPANT_STATES = ["pending", "confirmed", "declined", "withdrawn"] as const;

export function statusLabel(code: string): string {
  return tOptional(`tenderStatus.${code}`) ?? code;
}

/** The Danish name of a milestone kind, capitalised for tables and tooltips. */
export function milestoneLabel(kind: string): string {
  return tOptional(`milestone.${kind}`) ?? kind;
}

export function participantStateLabel(state: string): string {
  return tOptional(`participantState.${state}`) ?? state;
}

export function statusChoices(): { code: string; label: string }[] {
  return TENDER_STATUSES.map((code) => ({ code, label: statusLabel(code) }));
}

export function tenderHref(planId: string, tenderId: string): string {
  return `/udbudsplaner/${planId}/udbud/${tenderId}`;
}

/** Whether a participant's value still counts: pending or confirmed. */
export function counts(participant: Pick<Participant, "state">): boolean {
  return participant.state === "pending" || participant.state === "confirmed";
}

/** A planned tender as one row of the timeline. */
export function toTimelineItem(tender: PlannedTender): TimelineItem {
  const taking = tender.participants.filter(counts);
  return {
    id: tender.id,
    href: tenderHref(tender.plan_id, tender.id),
    subject: tender.subject,
    status: tender.status,
    statusLabel: statusLabel(tender.status),
    leadTenant: tender.lead_tenant.name,
    municipalities: [...new Set([tender.lead_tenant.name, ...taking.map((p) => p.tenant.name)])],
    milestones: tender.milestones.map((m) => ({
      kind: m.kind,
      label: milestoneLabel(m.kind),
      date: m.date,
      done: m.done,
    })),
    contractEnds: taking.flatMap((p) =>
      p.replaced_contracts.flatMap((c) =>
        c.end_date ? [{ title: c.title, municipality: p.tenant.name, date: c.end_date }] : [],
      ),
    ),
  };
}

/**
 * Whether `me` answers for `participant`: its own municipality's editors
 * and administrators state the value, pick contracts and confirm.
 */
export function answersFor(me: Pick<Me, "role" | "tenant">, participant: Pick<Participant, "tenant">): boolean {
  return (me.role === "admin" || me.role === "editor") && me.tenant?.id === participant.tenant.id;
}

/** The participation of `me`'s municipality in a planned tender, if it has one. */
export function ownParticipation(me: Pick<Me, "tenant">, tender: Pick<PlannedTender, "participants">): Participant | null {
  return tender.participants.find((p) => p.tenant.id === me.tenant?.id) ?? null;
}

/** "12 dages luft", "1 dags luft", "Ingen luft", "3 dage for sent". */
export function slackText(days: number): string {
  if (days === 0) return t("tender.slackNone");
  if (days > 0) return days === 1 ? t("tender.slackOne") : t("tender.slack", { count: days });
  return days === -1 ? t("tender.lateOne") : t("tender.late", { count: -days });
}

/** The threshold verdict as one Danish sentence about the aggregate value. */
export function verdictText(aggregateValue: string, threshold: ThresholdVerdict): string {
  const params = {
    value: formatAmount(aggregateValue) ?? aggregateValue,
    threshold: formatAmount(threshold.dkk) ?? threshold.dkk,
    from: formatDate(threshold.applies_from) ?? threshold.applies_from,
    to: formatDate(threshold.applies_to) ?? threshold.applies_to,
  };
  return t(threshold.above ? "tender.verdictAbove" : "tender.verdictBelow", params);
}
