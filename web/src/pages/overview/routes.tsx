// Routes of this area, placed inside the app shell by App.tsx.

import { lazy } from "react";
import { Route } from "react-router";

const OverviewPage = lazy(() => import("./OverviewPage").then((m) => ({ default: m.OverviewPage })));

export const overviewRoutes = <Route path="overblik" element={<OverviewPage />} />;
