// Reading collaborations: the municipality's list (memberships and pending
// invitations) and one collaboration with its members.

import { api } from "../../api/client";
import { settle, withETag } from "../../api/problem";
import { useLoad } from "../../api/useLoad";
import type { Collaboration, CollaborationList } from "../../api/types";

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
