// Who is where in a collaboration, and what the calling municipality may do.

import type { Collaboration, CollaborationMember } from "../../api/types";

/** Members still in the collaboration or invited to it, coordinators first, then by name. */
export function currentMembers(collaboration: Collaboration): CollaborationMember[] {
  const rank = (m: CollaborationMember) => (m.status === "active" ? (m.role === "coordinator" ? 0 : 1) : 2);
  return collaboration.members
    .filter((m) => m.status === "active" || m.status === "invited")
    .sort((a, b) => rank(a) - rank(b) || a.tenant_name.localeCompare(b.tenant_name, "da"));
}

/** Municipalities that declined, left or were removed, newest first. */
export function formerMembers(collaboration: Collaboration): CollaborationMember[] {
  return collaboration.members
    .filter((m) => m.status !== "active" && m.status !== "invited")
    .sort((a, b) => (b.ended_at ?? b.invited_at).localeCompare(a.ended_at ?? a.invited_at));
}

export function activeCount(collaboration: Collaboration): number {
  return collaboration.members.filter((m) => m.status === "active").length;
}

export function invitedCount(collaboration: Collaboration): number {
  return collaboration.members.filter((m) => m.status === "invited").length;
}

/** The names of the active coordinators, for "invited by" and the list. */
export function coordinators(collaboration: Collaboration): string[] {
  return collaboration.members
    .filter((m) => m.status === "active" && m.role === "coordinator")
    .map((m) => m.tenant_name);
}

/** Whether the caller's municipality coordinates the collaboration and the caller is its admin. */
export function canCoordinate(collaboration: Collaboration, isAdmin: boolean): boolean {
  return isAdmin && collaboration.my_status === "active" && collaboration.my_role === "coordinator";
}

/** A three-digit municipality code, or null when the text is not one. */
export function normaliseCode(input: string): string | null {
  const code = input.trim();
  return /^\d{3}$/.test(code) ? code : null;
}
