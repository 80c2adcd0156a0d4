import { Suspense, useState } from "react";
import { Link, Outlet } from "react-router";
import { useMe } from "../auth/AuthContext";
import { t } from "../i18n";
import { operatorName, useSite } from "../site";
import { Header } from "./Header";
import { Loading } from "./Loading";

/** The frame of every page for a logged-in user: header, main content, footer. */
export function Layout() {
  const me = useMe();
  const [drawerOpen, setDrawerOpen] = useState(false);
  return (
    <>
      <Header me={me} drawerOpen={drawerOpen} setDrawerOpen={setDrawerOpen} />
      <main id="main-content" className="container page-container" inert={drawerOpen}>
        {/* Pages load on first visit, so that they do not weigh on the first load. */}
        <Suspense fallback={<Loading text={t("app.loading")} />}>
          <Outlet />
        </Suspense>
      </main>
      <Footer inert={drawerOpen} />
    </>
  );
}

export function Footer({ inert = false }: { inert?: boolean }) {
  const site = useSite();
  const operator = operatorName(site, t("app.name"));
  return (
    <footer inert={inert}>
      <div className="footer">
        <div className="container">
          <div className="row">
            <div className="col-12 col-md-6">
              <p className="footer-product">
                <strong>{t("app.name")}</strong>
              </p>
              <p>{t("app.tagline")}</p>
              {site.operator_name ? <p>{t("footer.operatedBy", { operator })}</p> : null}
            </div>
            <nav className="col-12 col-md-6" aria-label={t("footer.label")}>
              <ul className="unstyled-list footer-links">
                <li>
                  <Link className="function-link" to="/tilgaengelighed">
                    {t("footer.accessibility")}
                  </Link>
                </li>
                {site.contact_email ? (
                  <li>
                    {t("footer.contact")}: <a href={`mailto:${site.contact_email}`}>{site.contact_email}</a>
                  </li>
                ) : null}
                {site.contact_phone ? <li>{t("footer.phone", { phone: site.contact_phone })}</li> : null}
              </ul>
            </nav>
          </div>
        </div>
      </div>
    </footer>
  );
}
