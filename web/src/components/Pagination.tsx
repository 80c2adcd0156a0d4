import { Link } from "react-router";
import { t } from "../i18n";
import { Icon } from "./Icon";

/** Page numbers to show: all when few, else first, last and the current one's neighbours. */
export function pageWindow(current: number, total: number): (number | "gap")[] {
  if (total <= 7) return Array.from({ length: total }, (_, i) => i + 1);
  const pages = new Set([1, total, current - 1, current, current + 1]);
  if (current <= 4) [2, 3, 4, 5].forEach((p) => pages.add(p));
  if (current >= total - 3) [total - 4, total - 3, total - 2, total - 1].forEach((p) => pages.add(p));
  const sorted = [...pages].filter((p) => p >= 1 && p <= total).sort((a, b) => a - b);
  const out: (number | "gap")[] = [];
  sorted.forEach((p, i) => {
    const prev = sorted[i - 1];
    if (prev !== undefined && p - prev > 1) out.push("gap");
    out.push(p);
  });
  return out;
}

interface PaginationProps {
  page: number;
  pages: number;
  /** The link target for a page number. */
  href: (page: number) => string;
}

/** DKFDS pagination as links, so every page has its own address. */
export function Pagination({ page, pages, href }: PaginationProps) {
  if (pages <= 1) return null;
  return (
    <nav className="pagination" aria-label={t("pagination.label")}>
      {page > 1 ? (
        <Link to={href(page - 1)} className="button button-arrow button-previous">
          <Icon name="chevron-left" />
          <span className="pagination-nav-link">{t("pagination.previous")}</span>
        </Link>
      ) : null}
      <span className="pagination-mobile">{t("pagination.pageOf", { page, pages })}</span>
      <ul className="pagination__items">
        {pageWindow(page, pages).map((p, i) =>
          p === "gap" ? (
            <li key={`gap-${i}`} className="pagination-item pagination-overflow">
              <span aria-hidden="true">…</span>
            </li>
          ) : (
            <li key={p} className="pagination-item pagination-number">
              <Link
                to={href(p)}
                className={p === page ? "button current-page" : "button button-secondary"}
                aria-label={t("pagination.page", { page: p })}
                aria-current={p === page ? "page" : undefined}
              >
                {p}
              </Link>
            </li>
          ),
        )}
      </ul>
      {page < pages ? (
        <Link to={href(page + 1)} className="button button-arrow button-next">
          <span className="pagination-nav-link">{t("pagination.next")}</span>
          <Icon name="chevron-right" />
        </Link>
      ) : null}
    </nav>
  );
}
