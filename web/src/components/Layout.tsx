import { useState } from "react";
import { Outlet } from "react-router";
import { useMe } from "../auth/AuthContext";
import { t } from "../i18n";
import { Header } from "./Header";

/** The frame of every page for a logged-in user: header, main content, footer. */
export function Layout() {
  const me = useMe();
  const [drawerOpen, setDrawerOpen] = useState(false);
  return (
    <>
      <Header me={me} drawerOpen={drawerOpen} setDrawerOpen={setDrawerOpen} />
      <main id="main-content" className="container page-container" inert={drawerOpen}>
        <Outlet />
      </main>
      <Footer inert={drawerOpen} />
    </>
  );
}

export function Footer({ inert = false }: { inert?: boolean }) {
  return (
    <footer inert={inert}>
      <div className="footer">
        <div className="container">
          <p className="footer-product">
            <strong>{t("app.name")}</strong>
          </p>
          <p>{t("app.tagline")}</p>
        </div>
      </div>
    </footer>
  );
}
