import { Link } from "react-router";
import { PageHeading } from "../components/PageHeading";
import { t } from "../i18n";

export function NotFoundPage() {
  return (
    <>
      <PageHeading title={t("notFoundPage.title")} />
      <p>{t("notFoundPage.text")}</p>
      <p>
        <Link to="/">{t("notFoundPage.home")}</Link>
      </p>
    </>
  );
}

export function ForbiddenPage() {
  return (
    <>
      <PageHeading title={t("forbiddenPage.title")} />
      <p>{t("forbiddenPage.text")}</p>
      <p>
        <Link to="/">{t("forbiddenPage.home")}</Link>
      </p>
    </>
  );
}
