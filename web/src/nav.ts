// The main menu. Each entry names the roles that may see it (none: every
// logged-in user); a group shows when at least one of its links does.
// A new page is one more entry here plus its route in App.tsx.

import type { PrincipalRole } from "./api/types";
import type { MessageKey } from "./i18n";

export interface NavLink {
  label: MessageKey;
  to: string;
  roles?: readonly PrincipalRole[];
}

export interface NavGroup {
  label: MessageKey;
  roles?: readonly PrincipalRole[];
  links: readonly NavLink[];
}

export type NavEntry = NavLink | NavGroup;

const TENANT_ROLES: readonly PrincipalRole[] = ["admin", "editor", "viewer"];

export const NAV: readonly NavEntry[] = [
  { label: "nav.overview", to: "/overblik", roles: TENANT_ROLES },
  { label: "nav.contracts", to: "/kontrakter", roles: TENANT_ROLES },
  { label: "nav.systems", to: "/it-systemer", roles: TENANT_ROLES },
  { label: "nav.templates", to: "/skabeloner", roles: TENANT_ROLES },
  { label: "nav.collaborations", to: "/faellesskaber", roles: TENANT_ROLES },
  { label: "nav.plans", to: "/udbudsplaner", roles: TENANT_ROLES },
  { label: "nav.opportunities", to: "/muligheder", roles: TENANT_ROLES },
  { label: "nav.commitments", to: "/mine-forpligtelser", roles: TENANT_ROLES },
  {
    label: "nav.administration",
    links: [
      { label: "nav.users", to: "/administration/brugere", roles: ["admin"] },
      { label: "nav.apiClients", to: "/administration/api-klienter", roles: ["admin"] },
      { label: "nav.webhooks", to: "/administration/webhooks", roles: ["admin"] },
      { label: "nav.kitos", to: "/administration/kitos", roles: ["admin"] },
      { label: "nav.auditLog", to: "/administration/log", roles: ["admin"] },
    ],
  },
];

export function isGroup(entry: NavEntry): entry is NavGroup {
  return "links" in entry;
}

function allowed(entry: { roles?: readonly PrincipalRole[] }, role: PrincipalRole): boolean {
  return entry.roles === undefined || entry.roles.includes(role);
}

/** The menu as `role` sees it: forbidden links and empty groups removed. */
export function visibleNav(role: PrincipalRole, entries: readonly NavEntry[] = NAV): NavEntry[] {
  const out: NavEntry[] = [];
  for (const entry of entries) {
    if (!allowed(entry, role)) continue;
    if (isGroup(entry)) {
      const links = entry.links.filter((link) => allowed(link, role));
      if (links.length > 0) out.push({ ...entry, links });
    } else {
      out.push(entry);
    }
  }
  return out;
}

/** Whether `pathname` is `to` or a page below it. */
export function isCurrent(to: string, pathname: string): boolean {
  return pathname === to || pathname.startsWith(to.endsWith("/") ? to : `${to}/`);
}
