// Routes of this area, placed inside the app shell by App.tsx.

import { Route } from "react-router";
import { CollaborationPage } from "./CollaborationPage";
import { CollaborationsPage } from "./CollaborationsPage";

export const collaborationRoutes = (
  <>
    <Route path="faellesskaber" element={<CollaborationsPage />} />
    <Route path="faellesskaber/:id" element={<CollaborationPage />} />
  </>
);
