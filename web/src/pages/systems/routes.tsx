// Routes of this area, placed inside the app shell by App.tsx.

import { lazy } from "react";
import { Route } from "react-router";
import { RequireRole } from "../../components/RequireRole";

const CreateSystemPage = lazy(() => import("./SystemForm").then((m) => ({ default: m.CreateSystemPage })));
const EditSystemPage = lazy(() => import("./SystemForm").then((m) => ({ default: m.EditSystemPage })));
const SystemPage = lazy(() => import("./SystemPage").then((m) => ({ default: m.SystemPage })));
const SystemsPage = lazy(() => import("./SystemsPage").then((m) => ({ default: m.SystemsPage })));

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
