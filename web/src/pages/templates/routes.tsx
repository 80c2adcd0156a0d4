// Routes of this area, placed inside the app shell by App.tsx.

import { lazy } from "react";
import { Route } from "react-router";
import { RequireWriter } from "../contracts/parts";

const TemplateEditorPage = lazy(() => import("./TemplateEditorPage").then((m) => ({ default: m.TemplateEditorPage })));
const CreateTemplatePage = lazy(() => import("./TemplateForm").then((m) => ({ default: m.CreateTemplatePage })));
const EditTemplatePage = lazy(() => import("./TemplateForm").then((m) => ({ default: m.EditTemplatePage })));
const TemplatePage = lazy(() => import("./TemplatePage").then((m) => ({ default: m.TemplatePage })));
const TemplatesPage = lazy(() => import("./TemplatesPage").then((m) => ({ default: m.TemplatesPage })));

export const templateRoutes = (
  <>
    <Route path="skabeloner" element={<TemplatesPage />} />
    <Route
      path="skabeloner/ny"
      element={
        <RequireWriter>
          <CreateTemplatePage />
        </RequireWriter>
      }
    />
    <Route path="skabeloner/:id" element={<TemplatePage />} />
    <Route
      path="skabeloner/:id/rediger"
      element={
        <RequireWriter>
          <EditTemplatePage />
        </RequireWriter>
      }
    />
    <Route path="skabeloner/:id/kladde" element={<TemplateEditorPage />} />
  </>
);
