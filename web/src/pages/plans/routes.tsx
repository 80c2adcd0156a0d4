// Routes of this area, placed inside the app shell by App.tsx. The plan
// pages (timeline, forms) load on first visit, so they do not weigh on the
// app's first load.

import { lazy, Suspense, type ReactNode } from "react";
import { Route } from "react-router";
import { Loading } from "../../components/Loading";
import { t } from "../../i18n";
import { RequireWriter } from "../contracts/parts";

const CommitmentsPage = lazy(() => import("./CommitmentsPage").then((m) => ({ default: m.CommitmentsPage })));
const PlansPage = lazy(() => import("./PlansPage").then((m) => ({ default: m.PlansPage })));
const PlanPage = lazy(() => import("./PlanPage").then((m) => ({ default: m.PlanPage })));
const TenderPage = lazy(() => import("./TenderPage").then((m) => ({ default: m.TenderPage })));
const CreateTenderPage = lazy(() => import("./TenderForm").then((m) => ({ default: m.CreateTenderPage })));
const EditTenderPage = lazy(() => import("./TenderForm").then((m) => ({ default: m.EditTenderPage })));

function Page({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Loading text={t("app.loading")} />}>{children}</Suspense>;
}

export const planRoutes = (
  <>
    <Route
      path="udbudsplaner"
      element={
        <Page>
          <PlansPage />
        </Page>
      }
    />
    <Route
      path="udbudsplaner/:planId"
      element={
        <Page>
          <PlanPage />
        </Page>
      }
    />
    <Route
      path="udbudsplaner/:planId/udbud/ny"
      element={
        <RequireWriter>
          <Page>
            <CreateTenderPage />
          </Page>
        </RequireWriter>
      }
    />
    <Route
      path="udbudsplaner/:planId/udbud/:tenderId"
      element={
        <Page>
          <TenderPage />
        </Page>
      }
    />
    <Route
      path="udbudsplaner/:planId/udbud/:tenderId/rediger"
      element={
        <RequireWriter>
          <Page>
            <EditTenderPage />
          </Page>
        </RequireWriter>
      }
    />
    <Route path="mine-forpligtelser" element={<CommitmentsPage />} />
  </>
);
