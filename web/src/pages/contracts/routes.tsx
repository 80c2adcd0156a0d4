// Routes of this area, placed inside the app shell by App.tsx.

import { Route } from "react-router";
import { CreateContractPage, EditContractPage } from "./ContractForm";
import { ContractPage } from "./ContractPage";
import { ContractSheetPage } from "./ContractSheet";
import { ContractsPage } from "./ContractsPage";
import { ImportPage } from "./imports/ImportPage";
import { RequireWriter } from "./parts";

export const contractRoutes = (
  <>
    <Route path="kontrakter" element={<ContractsPage />} />
    <Route
      path="kontrakter/ny"
      element={
        <RequireWriter>
          <CreateContractPage />
        </RequireWriter>
      }
    />
    <Route
      path="kontrakter/import"
      element={
        <RequireWriter>
          <ImportPage />
        </RequireWriter>
      }
    />
    <Route path="kontrakter/:id" element={<ContractPage />} />
    <Route path="kontrakter/:id/udskriv" element={<ContractSheetPage />} />
    <Route
      path="kontrakter/:id/rediger"
      element={
        <RequireWriter>
          <EditContractPage />
        </RequireWriter>
      }
    />
  </>
);
