// The accessibility statement (tilgængelighedserklæring): public, linked
// from every page's footer, naming the operator and how to reach them.

import { Link } from "react-router";
import { Footer } from "../components/Layout";
import { PageHeading } from "../components/PageHeading";
import { SiteLogo } from "../components/SiteLogo";
import { t } from "../i18n";
import { operatorName, useSite } from "../site";

const COMPLAINT_URL = "https://digst.dk/digital-inklusion/webtilgaengelighed/oplever-du-ikke-tilgaengeligt-indhold/";

export function AccessibilityPage() {
  const site = useSite();
  const operator = operatorName(site, t("app.name"));
  return (
    <>
      <header className="header">
        <a className="skipnav" href="#main-content">
          {t("app.skipToContent")}
        </a>
        <div className="portal-info">
          <div className="portal-info-inner container">
            <SiteLogo />
            <Link to="/" className="product-name">
              {t("app.name")}
            </Link>
          </div>
        </div>
        <div className="solution-info">
          <div className="solution-info-inner container">
            <div className="solution-heading">
              <p>{t("app.solution")}</p>
            </div>
          </div>
        </div>
      </header>
      <main id="main-content" className="container page-container">
        <div className="row">
          <article className="col-12 col-lg-9 statement">
            <PageHeading title={t("accessibility.title")} />
            <p className="font-lead">{t("accessibility.intro", { operator })}</p>

            <h2>{t("accessibility.scopeHeading")}</h2>
            <p>{t("accessibility.scope", { operator })}</p>

            <h2>{t("accessibility.targetHeading")}</h2>
            <p>{t("accessibility.target")}</p>

            <h2>{t("accessibility.statusHeading")}</h2>
            <p>{t("accessibility.status")}</p>

            <h2>{t("accessibility.limitationsHeading")}</h2>
            <ul>
              <li>{t("accessibility.limitationCharts")}</li>
              <li>{t("accessibility.limitationWideTables")}</li>
              <li>{t("accessibility.limitationAttachments")}</li>
              <li>{t("accessibility.limitationDocuments")}</li>
            </ul>

            <h2>{t("accessibility.reportHeading")}</h2>
            <p>{t("accessibility.report", { operator })}</p>
            {site.contact_email || site.contact_phone ? (
              <ul className="unstyled-list">
                {site.contact_email ? (
                  <li>
                    {t("accessibility.reportEmail")} <a href={`mailto:${site.contact_email}`}>{site.contact_email}</a>
                  </li>
                ) : null}
                {site.contact_phone ? (
                  <li>
                    {t("accessibility.reportPhone")} {site.contact_phone}
                  </li>
                ) : null}
              </ul>
            ) : (
              <p>{t("accessibility.reportNoContact", { operator })}</p>
            )}

            <h2>{t("accessibility.complaintHeading")}</h2>
            <p>{t("accessibility.complaint", { operator })}</p>
            <p>
              <a href={COMPLAINT_URL}>{t("accessibility.complaintLink")}</a>
            </p>

            <h2>{t("accessibility.preparedHeading")}</h2>
            <p>{t("accessibility.prepared", { operator })}</p>

            <p>
              <Link to="/">{t("accessibility.backToApp")}</Link>
            </p>
          </article>
        </div>
      </main>
      <Footer />
    </>
  );
}
