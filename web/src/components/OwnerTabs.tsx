// "Alle" and "Mine" over a list: two links in the address, so that either
// view can be bookmarked; the one shown is marked as current.

import { Link } from "react-router";
import { t } from "../i18n";

export function OwnerTabs({
  mine,
  allLabel,
  mineLabel,
  href,
}: {
  mine: boolean;
  allLabel: string;
  mineLabel: string;
  href: (mine: boolean) => string;
}) {
  return (
    <nav aria-label={t("ownership.listTabs")} className="owner-tabs">
      <ul>
        <li>
          <Link to={href(false)} aria-current={mine ? undefined : "page"} className={mine ? undefined : "active"}>
            {allLabel}
          </Link>
        </li>
        <li>
          <Link to={href(true)} aria-current={mine ? "page" : undefined} className={mine ? "active" : undefined}>
            {mineLabel}
          </Link>
        </li>
      </ul>
    </nav>
  );
}
