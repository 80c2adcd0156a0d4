// Routes of this area, placed inside the app shell by App.tsx.

import { lazy } from "react";
import { Route } from "react-router";
import { RequireWriter } from "./parts";

const CreateContractPage = lazy(() => import("./ContractForm").then((m) => ({ default: m.CreateContractPage })));
const EditContractPage = lazy(() => import("./ContractForm").then((m) => ({ default: m.EditContractPage })));
const ContractPage = lazy(() => import("./ContractPage").then((m) => ({ default: m.ContractPage })));
const ContractSheetPage = lazy(() => import("./ContractSheet").then((m) => ({ default: m.ContractSheetPage })));
const ContractsPage = lazy(() => import("./ContractsPage").then((m) => ({ default: m.ContractsPage })));
const ImportPage = lazy(() => import("./imports/ImportPage").then((m) => ({ default: m.ImportPage })));

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
