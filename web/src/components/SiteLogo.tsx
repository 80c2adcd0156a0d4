import { t } from "../i18n";
import { operatorName, useSite } from "../site";

/** The operator's logo in the header, when one is configured. */
export function SiteLogo() {
  const site = useSite();
  if (!site.logo_url) return null;
  return (
    <img
      className="site-logo"
      src={site.logo_url}
      alt={t("footer.logoAlt", { operator: operatorName(site, t("app.name")) })}
    />
  );
}
