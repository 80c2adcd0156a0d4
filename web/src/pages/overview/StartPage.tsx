// The address "/": a municipality's users start on Overblik; the platform
// operator, who has no municipality, gets the page App.tsx passes in.

import type { ReactNode } from "react";
import { Navigate } from "react-router";
import { useMe } from "../../auth/AuthContext";

const MUNICIPALITY_ROLES: readonly string[] = ["admin", "editor", "viewer"];

export function StartPage({ otherwise }: { otherwise: ReactNode }) {
  const me = useMe();
  return MUNICIPALITY_ROLES.includes(me.role) ? <Navigate to="/overblik" replace /> : otherwise;
}
