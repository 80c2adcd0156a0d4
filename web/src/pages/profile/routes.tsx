// Min profil, for every user of a municipality.

import { Route } from "react-router";
import { RequireRole } from "../../components/RequireRole";
import { ProfilePage } from "./ProfilePage";

export const profileRoutes = (
  <Route
    path="profil"
    element={
      <RequireRole roles={["admin", "editor", "viewer"]}>
        <ProfilePage />
      </RequireRole>
    }
  />
);
