// Routes of this area, placed inside the app shell by App.tsx.

import { lazy } from "react";
import { Route } from "react-router";

const CollaborationPage = lazy(() => import("./CollaborationPage").then((m) => ({ default: m.CollaborationPage })));
const CollaborationsPage = lazy(() => import("./CollaborationsPage").then((m) => ({ default: m.CollaborationsPage })));

export const collaborationRoutes = (
  <>
    <Route path="faellesskaber" element={<CollaborationsPage />} />
    <Route path="faellesskaber/:id" element={<CollaborationPage />} />
  </>
);
