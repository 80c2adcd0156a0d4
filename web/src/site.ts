// Who runs the installation: the operator's name, contact and logo, read
// once from the public /site endpoint for the header, footer and
// accessibility statement.

import { useEffect, useState } from "react";
import { api } from "./api/client";
import type { Site } from "./api/types";

let pending: Promise<Site> | null = null;

function loadSite(): Promise<Site> {
  pending ??= api
    .GET("/site")
    .then(({ data }) => data ?? {})
    .catch(() => ({}));
  return pending;
}

/** The site's details; empty until they arrive, or when they cannot be read. */
export function useSite(): Site {
  const [site, setSite] = useState<Site>({});
  useEffect(() => {
    let live = true;
    void loadSite().then((loaded) => {
      if (live) setSite(loaded);
    });
    return () => {
      live = false;
    };
  }, []);
  return site;
}

/** The operator's name, or the product's when none is configured. */
export function operatorName(site: Site, fallback: string): string {
  return site.operator_name?.trim() || fallback;
}
