import { useEffect, useRef, type ReactNode } from "react";
import { t } from "../i18n";

// The first page of a visit keeps the browser's own focus; every page after
// a client-side navigation moves focus to its heading, so screen readers
// announce the new page as they would after a full page load.
let firstPageShown = false;

/** The page's one h1; it also names the browser tab. */
export function PageHeading({ title, children }: { title: string; children?: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    document.title = `${title} – ${t("app.titleSuffix")}`;
  }, [title]);

  useEffect(() => {
    if (firstPageShown) ref.current?.focus();
    firstPageShown = true;
  }, []);

  return (
    <h1 ref={ref} tabIndex={-1} className="page-heading">
      {children ?? title}
    </h1>
  );
}
