// Routes of this area, placed inside the app shell by App.tsx.

import { Route } from "react-router";
import { RequireWriter } from "../contracts/parts";
import { CommitmentsPage } from "./CommitmentsPage";
import { PlanPage } from "./PlanPage";
import { PlansPage } from "./PlansPage";
import { CreateTenderPage, EditTenderPage } from "./TenderForm";
import { TenderPage } from "./TenderPage";

export const planRoutes = (
  <>
    <Route path="udbudsplaner" element={<PlansPage />} />
    <Route path="udbudsplaner/:planId" element={<PlanPage />} />
    <Route
      path="udbudsplaner/:planId/udbud/ny"
      element={
        <RequireWriter>
          <CreateTenderPage />
        </RequireWriter>
      }
    />
    <Route path="udbudsplaner/:planId/udbud/:tenderId" element={<TenderPage />} />
    <Route
      path="udbudsplaner/:planId/udbud/:tenderId/rediger"
      element={
        <RequireWriter>
          <EditTenderPage />
        </RequireWriter>
      }
    />
    <Route path="mine-forpligtelser" element={<CommitmentsPage />} />
  </>
);
