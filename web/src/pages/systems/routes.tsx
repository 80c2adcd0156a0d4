// Routes of this area, placed inside the app shell by App.tsx.

import { Route } from "react-router";
import { RequireRole } from "../../components/RequireRole";
import { CreateSystemPage, EditSystemPage } from "./SystemForm";
import { SystemPage } from "./SystemPage";
import { SystemsPage } from "./SystemsPage";

const WRITERS = ["admin", "editor"] as const;

export const systemRoutes = (
  <>
    <Route path="it-systemer" element={<SystemsPage />} />
    <Route
      path="it-systemer/ny"
      element={
        <RequireRole roles={WRITERS}>
          <CreateSystemPage />
        </RequireRole>
      }
    />
    <Route path="it-systemer/:id" element={<SystemPage />} />
    <Route
      path="it-systemer/:id/rediger"
      element={
        <RequireRole roles={WRITERS}>
          <EditSystemPage />
        </RequireRole>
      }
    />
  </>
);
