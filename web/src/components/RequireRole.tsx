import type { ReactNode } from "react";
import type { PrincipalRole } from "../api/types";
import { useAuth } from "../auth/AuthContext";
import { ForbiddenPage } from "../pages/StatusPages";

/** Shows `children` to the given roles and the "Ingen adgang" page to everyone else. */
export function RequireRole({ roles, children }: { roles: readonly PrincipalRole[]; children: ReactNode }) {
  const { me } = useAuth();
  return me && roles.includes(me.role) ? children : <ForbiddenPage />;
}
