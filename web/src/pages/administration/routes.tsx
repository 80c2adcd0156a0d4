// Routes of this area, placed inside the app shell by App.tsx. The users
// page's route stays in App.tsx.

import { lazy } from "react";
import { Route } from "react-router";
import { RequireRole } from "../../components/RequireRole";

const ApiClientsPage = lazy(() => import("./ApiClientsPage").then((m) => ({ default: m.ApiClientsPage })));
const AuditLogPage = lazy(() => import("./AuditLogPage").then((m) => ({ default: m.AuditLogPage })));
const KitosPage = lazy(() => import("./KitosPage").then((m) => ({ default: m.KitosPage })));
const WebhooksPage = lazy(() => import("./WebhooksPage").then((m) => ({ default: m.WebhooksPage })));

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
      path="administration/kitos"
      element={
        <RequireRole roles={["admin"]}>
          <KitosPage />
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
