// Min profil, for every user of a municipality.

import { lazy } from "react";
import { Route } from "react-router";
import { RequireRole } from "../../components/RequireRole";

const ProfilePage = lazy(() => import("./ProfilePage").then((m) => ({ default: m.ProfilePage })));

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
