import { lazy, Suspense, type ReactNode } from "react";
import { createBrowserRouter, createRoutesFromElements, Navigate, Outlet, Route, useLocation } from "react-router";
import { RouterProvider } from "react-router/dom";
import { AuthProvider, useAuth } from "./auth/AuthContext";
import { Layout } from "./components/Layout";
import { Loading } from "./components/Loading";
import { t } from "./i18n";
import { administrationRoutes } from "./pages/administration/routes";
import { collaborationRoutes } from "./pages/collaborations/routes";
import { contractRoutes } from "./pages/contracts/routes";
import { LoginPage } from "./pages/LoginPage";
import { opportunityRoutes } from "./pages/opportunities/routes";
import { overviewRoutes } from "./pages/overview/routes";
import { profileRoutes } from "./pages/profile/routes";
import { planRoutes } from "./pages/plans/routes";
import { StartPage } from "./pages/overview/StartPage";
import { NotFoundPage } from "./pages/StatusPages";
import { RequireRole } from "./components/RequireRole";
import { UnsavedChangesProvider } from "./components/UnsavedChanges";
import { systemRoutes } from "./pages/systems/routes";
import { templateRoutes } from "./pages/templates/routes";
import { WelcomePage } from "./pages/WelcomePage";

// Pages load on first visit (the app shell waits for them in a Suspense).
const AccessibilityPage = lazy(() => import("./pages/AccessibilityPage").then((m) => ({ default: m.AccessibilityPage })));
const UsersPage = lazy(() => import("./pages/users/UsersPage").then((m) => ({ default: m.UsersPage })));

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

/** What every page sits in: who is logged in, and the guard for unsaved changes. */
function Root() {
  return (
    <AuthProvider>
      <UnsavedChangesProvider>
        <Outlet />
      </UnsavedChangesProvider>
    </AuthProvider>
  );
}

// A data router: asking before leaving a form with unsaved changes
// (useBlocker) works only with one.
const router = createBrowserRouter(
  createRoutesFromElements(
    <Route element={<Root />}>
      <Route path="/login" element={<LoginPage />} />
      <Route
        path="/tilgaengelighed"
        element={
          <Suspense fallback={<Loading text={t("app.loading")} />}>
            <AccessibilityPage />
          </Suspense>
        }
      />
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
        {templateRoutes}
        {collaborationRoutes}
        {planRoutes}
        {opportunityRoutes}
        {profileRoutes}
        {administrationRoutes}
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Route>,
  ),
);

export function App() {
  return <RouterProvider router={router} />;
}
