// Routes of this area, placed inside the app shell by App.tsx.

import { Route } from "react-router";
import { OverviewPage } from "./OverviewPage";

export const overviewRoutes = <Route path="overblik" element={<OverviewPage />} />;
