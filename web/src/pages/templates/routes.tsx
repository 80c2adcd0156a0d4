// Routes of this area, placed inside the app shell by App.tsx.

import { Route } from "react-router";
import { RequireWriter } from "../contracts/parts";
import { TemplateEditorPage } from "./TemplateEditorPage";
import { CreateTemplatePage, EditTemplatePage } from "./TemplateForm";
import { TemplatePage } from "./TemplatePage";
import { TemplatesPage } from "./TemplatesPage";

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
