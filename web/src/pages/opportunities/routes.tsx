// The Muligheder page, loaded on first visit.

import { lazy, Suspense } from "react";
import { Route } from "react-router";
import { Loading } from "../../components/Loading";
import { t } from "../../i18n";

const OpportunitiesPage = lazy(() => import("./OpportunitiesPage").then((m) => ({ default: m.OpportunitiesPage })));

export const opportunityRoutes = (
  <Route
    path="muligheder"
    element={
      <Suspense fallback={<Loading text={t("app.loading")} />}>
        <OpportunitiesPage />
      </Suspense>
    }
  />
);
