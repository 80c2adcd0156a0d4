// Confirmations for removing a member (or withdrawing its invitation) and for
// leaving the collaboration. Focus starts on the choice that changes nothing.

import { api } from "../../api/client";
import { settle } from "../../api/problem";
import type { Collaboration, CollaborationMember } from "../../api/types";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { t } from "../../i18n";

export function RemoveMemberDialog({
  collaboration,
  member,
  onClose,
  onDone,
}: {
  collaboration: Collaboration;
  member: CollaborationMember;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const invited = member.status === "invited";
  const name = member.tenant_name;
  return (
    <ConfirmDialog
      title={t(invited ? "collaborations.withdrawTitle" : "collaborations.removeTitle", { name })}
      text={t(invited ? "collaborations.withdrawText" : "collaborations.removeText", { name })}
      confirmLabel={t(invited ? "collaborations.withdrawConfirm" : "collaborations.removeConfirm")}
      action={() =>
        settle(
          api.DELETE("/collaborations/{id}/members/{tenant_id}", {
            params: { path: { id: collaboration.id, tenant_id: member.tenant_id } },
          }),
        )
      }
      onClose={onClose}
      onDone={() => {
        onDone(t(invited ? "collaborations.withdrawn" : "collaborations.removed", { name }));
      }}
    />
  );
}

export function LeaveDialog({
  collaboration,
  municipality,
  lastCoordinator,
  onClose,
  onDone,
}: {
  collaboration: Collaboration;
  municipality: string;
  /** The only coordinator must hand the role on first; the API refuses otherwise. */
  lastCoordinator: boolean;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const name = collaboration.name;
  return (
    <ConfirmDialog
      title={t("collaborations.leaveTitle", { name })}
      text={t("collaborations.leaveText", { municipality })}
      note={lastCoordinator ? t("collaborations.leaveLastCoordinator", { municipality }) : undefined}
      confirmLabel={t("collaborations.leaveConfirm")}
      action={() => settle(api.POST("/collaborations/{id}/leave", { params: { path: { id: collaboration.id } } }))}
      onClose={onClose}
      onDone={() => {
        onDone(t("collaborations.left", { municipality, name }));
      }}
    />
  );
}
