import type { ReactNode } from "react";
import { BrowserRouter, Navigate, Route, Routes, useLocation } from "react-router";
import type { PrincipalRole } from "./api/types";
import { AuthProvider, useAuth } from "./auth/AuthContext";
import { Layout } from "./components/Layout";
import { Loading } from "./components/Loading";
import { t } from "./i18n";
import { LoginPage } from "./pages/LoginPage";
import { ForbiddenPage, NotFoundPage } from "./pages/StatusPages";
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

function RequireRole({ roles, children }: { roles: readonly PrincipalRole[]; children: ReactNode }) {
  const { me } = useAuth();
  return me && roles.includes(me.role) ? children : <ForbiddenPage />;
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
            <Route index element={<WelcomePage />} />
            <Route
              path="administration/brugere"
              element={
                <RequireRole roles={["admin"]}>
                  <UsersPage />
                </RequireRole>
              }
            />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </AuthProvider>
    </BrowserRouter>
  );
}
