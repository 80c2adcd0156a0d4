// Reading collaborations: the municipality's list (memberships and pending
// invitations), one collaboration with its members, and the municipality's
// own contracts shared with it.

import { api } from "../../api/client";
import { settle, withETag } from "../../api/problem";
import { useLoad } from "../../api/useLoad";
import type { Collaboration, CollaborationList, ContractPage } from "../../api/types";

export function useCollaborationList(version: number) {
  return useLoad<CollaborationList>(String(version), (signal) => settle(api.GET("/collaborations", { signal })));
}

export interface VersionedCollaboration {
  collaboration: Collaboration;
  /** Quoted in If-Match when the collaboration is renamed or described. */
  etag: string;
}

export function useCollaboration(id: string, version: number) {
  return useLoad<VersionedCollaboration>(`${id}|${String(version)}`, async (signal) =>
    withETag(
      await settle(api.GET("/collaborations/{id}", { params: { path: { id } }, signal })),
      (collaboration, etag) => ({ collaboration, etag }),
    ),
  );
}

/** How many shared contracts the detail page lists; the rest are a link away. */
export const SHARED_LIMIT = 50;

export function useSharedContracts(id: string, version: number) {
  return useLoad<ContractPage>(`${id}|${String(version)}`, (signal) =>
    settle(
      api.GET("/contracts", {
        params: { query: { shared_with: id, scope: "all", page_size: SHARED_LIMIT, sort: "title" } },
        signal,
      }),
    ),
  );
}
