import type { ReactNode } from "react";
import { BrowserRouter, Navigate, Route, Routes, useLocation } from "react-router";
import { AuthProvider, useAuth } from "./auth/AuthContext";
import { Layout } from "./components/Layout";
import { Loading } from "./components/Loading";
import { t } from "./i18n";
import { administrationRoutes } from "./pages/administration/routes";
import { collaborationRoutes } from "./pages/collaborations/routes";
import { contractRoutes } from "./pages/contracts/routes";
import { LoginPage } from "./pages/LoginPage";
import { overviewRoutes } from "./pages/overview/routes";
import { StartPage } from "./pages/overview/StartPage";
import { NotFoundPage } from "./pages/StatusPages";
import { RequireRole } from "./components/RequireRole";
import { systemRoutes } from "./pages/systems/routes";
import { UsersPage } from "./pages/users/UsersPage";
import { WelcomePage } from "./pages/WelcomePage";

function RequireAuth({ children }: { children: ReactNode }) {
  const { status, endReason } = useAuth();
  const location = useLocation();
  if (status === "loading") {
    return (
      <main id="main-content" className="container page-container">
        <Loading text={t("app.loading")} />
      </main>
    );
  }
  if (status === "anonymous") {
    // After "Log ud" the next login starts afresh; otherwise it returns here.
    const state = endReason === "loggedOut" ? undefined : { from: location };
    return <Navigate to="/login" state={state} replace />;
  }
  return children;
}

export function App() {
  return (
    <BrowserRouter>
      <AuthProvider>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route
            element={
              <RequireAuth>
                <Layout />
              </RequireAuth>
            }
          >
            <Route index element={<StartPage otherwise={<WelcomePage />} />} />
            <Route
              path="administration/brugere"
              element={
                <RequireRole roles={["admin"]}>
                  <UsersPage />
                </RequireRole>
              }
            />
            {overviewRoutes}
            {contractRoutes}
            {systemRoutes}
            {collaborationRoutes}
            {administrationRoutes}
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </AuthProvider>
    </BrowserRouter>
  );
}
