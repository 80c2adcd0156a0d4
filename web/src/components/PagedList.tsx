// A page of a list read from the API, the same way on every list page: a
// spinner only the first time (later pages keep the last one in view while
// they load), an error, "Viser 1–20 af 54 …", what to do when the list is
// empty, the rows, and links to the other pages.

import type { ReactNode } from "react";
import { failureMessage } from "../api/problem";
import type { Loaded } from "../api/useLoad";
import { Alert } from "./Alert";
import { Loading } from "./Loading";
import { Pagination } from "./Pagination";

interface PageOf<T> {
  total: number;
  items: T[];
}

/** The rows a page shows, numbered from 1 across pages; 0–0 when it is empty. */
export function pageRange(page: number, pageSize: number, shown: number): { from: number; to: number } {
  const from = shown > 0 ? (page - 1) * pageSize + 1 : 0;
  return { from, to: shown > 0 ? from + shown - 1 : 0 };
}

interface PagedListProps<T> {
  /** The class of the list's wrapper, which tests and styles find it by. */
  className: string;
  list: Loaded<PageOf<T>>;
  page: number;
  pageSize: number;
  loadingText: string;
  /** The status line: with one item, and with several. */
  showingOne: string;
  showing: (range: { from: number; to: number; total: number }) => string;
  /** The content of the notice shown when there is nothing to list. */
  empty: ReactNode;
  /** The address of another page of the same list. */
  pageHref: (page: number) => string;
  children: (items: T[]) => ReactNode;
}

export function PagedList<T>({
  className,
  list,
  page,
  pageSize,
  loadingText,
  showingOne,
  showing,
  empty,
  pageHref,
  children,
}: PagedListProps<T>) {
  const shown = list.current ?? list.previous;
  const loading = list.current === null;
  const data = shown?.ok ? shown.data : null;
  return (
    <div className={className} aria-busy={loading}>
      {loading && shown === null ? <Loading text={loadingText} /> : null}
      {shown && !shown.ok ? <Alert variant="error">{failureMessage(shown)}</Alert> : null}
      {data ? (
        <>
          <p className="list-status" role="status">
            {data.total === 0
              ? null
              : data.total === 1
                ? showingOne
                : showing({ ...pageRange(page, pageSize, data.items.length), total: data.total })}
          </p>
          {data.total === 0 ? <Alert variant="info">{empty}</Alert> : children(data.items)}
          <Pagination page={page} pages={Math.max(1, Math.ceil(data.total / pageSize))} href={pageHref} />
        </>
      ) : null}
    </div>
  );
}
