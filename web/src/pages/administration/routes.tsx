// Routes of this area, placed inside the app shell by App.tsx. The users
// page's route stays in App.tsx.

import { Route } from "react-router";
import { RequireRole } from "../../components/RequireRole";
import { ApiClientsPage } from "./ApiClientsPage";
import { AuditLogPage } from "./AuditLogPage";
import { WebhooksPage } from "./WebhooksPage";

export const administrationRoutes = (
  <>
    <Route
      path="administration/api-klienter"
      element={
        <RequireRole roles={["admin"]}>
          <ApiClientsPage />
        </RequireRole>
      }
    />
    <Route
      path="administration/webhooks"
      element={
        <RequireRole roles={["admin"]}>
          <WebhooksPage />
        </RequireRole>
      }
    />
    <Route
      path="administration/log"
      element={
        <RequireRole roles={["admin"]}>
          <AuditLogPage />
        </RequireRole>
      }
    />
  </>
);
