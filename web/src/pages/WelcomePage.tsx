import { Link } from "react-router";
import { useMe } from "../auth/AuthContext";
import { PageHeading } from "../components/PageHeading";
import { t } from "../i18n";
import { Trans } from "../i18n/Trans";

/** The start page: who you are, where, and what your role lets you do. */
export function WelcomePage() {
  const me = useMe();
  const role = t(`roles.${me.role}`);
  const roleLower = role.toLocaleLowerCase("da");
  return (
    <>
      <PageHeading title={t("welcome.title", { name: me.name })} />
      <div className="row">
        <div className="col-12 col-lg-8">
          <p className="font-lead">
            {me.tenant
              ? t("welcome.municipality", {
                  municipality: me.tenant.name,
                  code: me.tenant.municipality_code,
                  role: roleLower,
                })
              : t("welcome.operator")}
          </p>
          <p>{t("welcome.about")}</p>

          <h2>{t("welcome.roleHeading", { role: roleLower })}</h2>
          <p>{t(`roleDescriptions.${me.role}`)}</p>
          {me.role === "admin" ? (
            <p>
              <Trans
                text={t("welcome.adminNext")}
                slots={{ link: <Link to="/administration/brugere">{t("welcome.adminLink")}</Link> }}
              />
            </p>
          ) : null}

          <h2>{t("welcome.accountHeading")}</h2>
          <div className="table--responsive-scroll">
            <table className="table structured-list">
              <tbody>
                <tr>
                  <th scope="row">{t("welcome.accountName")}</th>
                  <td>{me.name}</td>
                </tr>
                <tr>
                  <th scope="row">{t("welcome.accountEmail")}</th>
                  <td>{me.email}</td>
                </tr>
                <tr>
                  <th scope="row">{t("welcome.accountRole")}</th>
                  <td>{role}</td>
                </tr>
                {me.tenant ? (
                  <>
                    <tr>
                      <th scope="row">{t("welcome.accountMunicipality")}</th>
                      <td>{me.tenant.name}</td>
                    </tr>
                    <tr>
                      <th scope="row">{t("welcome.accountCode")}</th>
                      <td>{me.tenant.municipality_code}</td>
                    </tr>
                    {me.tenant.cvr ? (
                      <tr>
                        <th scope="row">{t("welcome.accountCvr")}</th>
                        <td>{me.tenant.cvr}</td>
                      </tr>
                    ) : null}
                  </>
                ) : null}
              </tbody>
            </table>
          </div>
        </div>
      </div>
    </>
  );
}
