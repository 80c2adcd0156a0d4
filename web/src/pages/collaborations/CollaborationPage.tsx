// One collaboration: its members and their roles, invitations to answer,
// inviting and removing municipalities (coordinators), leaving it, and the
// contracts the members share with it, side by side.

import { useEffect, useRef, useState } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import { api } from "../../api/client";
import { failureMessage, settle } from "../../api/problem";
import type { Collaboration, CollaborationMember, MemberRole } from "../../api/types";
import { useMe } from "../../auth/AuthContext";
import { Alert } from "../../components/Alert";
import { Icon } from "../../components/Icon";
import { Loading } from "../../components/Loading";
import { PageHeading } from "../../components/PageHeading";
import { t } from "../../i18n";
import { NotFoundPage } from "../StatusPages";
import { InviteForm } from "./InviteForm";
import { LeaveDialog, RemoveMemberDialog } from "./MemberDialogs";
import { canCoordinate, coordinators, currentMembers, formerMembers } from "./members";
import { SideBySide } from "./SideBySide";
import { EditCollaborationDialog } from "./EditCollaborationDialog";
import { useCollaboration, type VersionedCollaboration } from "./useCollaborations";

interface Notice {
  text: string;
  variant: "success" | "error";
  seq: number;
}

function StatusBadge({ member }: { member: CollaborationMember }) {
  const variant = member.status === "active" ? "badge-success" : member.status === "invited" ? "badge-info" : "";
  return <span className={`badge ${variant}`}>{t(`memberStatuses.${member.status}`)}</span>;
}

function MemberRow({
  member,
  isMe,
  coordinate,
  onRole,
  onRemove,
}: {
  member: CollaborationMember;
  isMe: boolean;
  coordinate: boolean;
  onRole: (member: CollaborationMember, role: MemberRole) => void;
  onRemove: (member: CollaborationMember) => void;
}) {
  const name = member.tenant_name;
  const canChangeRole = coordinate && !isMe && member.status === "active";
  const canRemove = coordinate && !isMe;
  return (
    <tr>
      <th scope="row">
        {name}
        {isMe ? <span className="weight-normal"> {t("collaborations.thisMunicipality")}</span> : null}
      </th>
      <td data-title={t("collaborations.colCode")}>{member.municipality_code}</td>
      <td data-title={t("collaborations.colRole")}>{t(`memberRoles.${member.role}`)}</td>
      <td data-title={t("collaborations.colStatus")}>
        <StatusBadge member={member} />
      </td>
      {coordinate ? (
        <td data-title={t("collaborations.colActions")}>
          {canChangeRole || canRemove ? (
            <ul className="unstyled-list row-actions">
              {canChangeRole ? (
                <li>
                  <button
                    type="button"
                    className="function-link"
                    onClick={() => {
                      onRole(member, member.role === "coordinator" ? "member" : "coordinator");
                    }}
                  >
                    <Icon name="edit" />
                    {t(member.role === "coordinator" ? "collaborations.makeMember" : "collaborations.makeCoordinator")}
                    <span className="sr-only"> {t("collaborations.forName", { name })}</span>
                  </button>
                </li>
              ) : null}
              {canRemove ? (
                <li>
                  <button
                    type="button"
                    className="function-link"
                    onClick={() => {
                      onRemove(member);
                    }}
                  >
                    <Icon name="person-remove" />
                    {t(member.status === "invited" ? "collaborations.withdraw" : "collaborations.remove")}
                    <span className="sr-only"> {t("collaborations.forName", { name })}</span>
                  </button>
                </li>
              ) : null}
            </ul>
          ) : null}
        </td>
      ) : null}
    </tr>
  );
}

function MembersTable({
  collaboration,
  myTenant,
  coordinate,
  onRole,
  onRemove,
}: {
  collaboration: Collaboration;
  myTenant: string;
  coordinate: boolean;
  onRole: (member: CollaborationMember, role: MemberRole) => void;
  onRemove: (member: CollaborationMember) => void;
}) {
  const rows = [...currentMembers(collaboration), ...formerMembers(collaboration)];
  return (
    <table className="table table--zebra table-md-responsive-headers members-table">
      <caption className="sr-only">{t("collaborations.membersCaption", { name: collaboration.name })}</caption>
      <thead>
        <tr>
          <th scope="col">{t("collaborations.colMunicipality")}</th>
          <th scope="col">{t("collaborations.colCode")}</th>
          <th scope="col">{t("collaborations.colRole")}</th>
          <th scope="col">{t("collaborations.colStatus")}</th>
          {coordinate ? <th scope="col">{t("collaborations.colActions")}</th> : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((member) => (
          <MemberRow
            key={member.tenant_id}
            member={member}
            isMe={member.tenant_id === myTenant}
            coordinate={coordinate}
            onRole={onRole}
            onRemove={onRemove}
          />
        ))}
      </tbody>
    </table>
  );
}

function AnswerInvitation({
  collaboration,
  municipality,
  isAdmin,
  onAnswered,
}: {
  collaboration: Collaboration;
  municipality: string;
  isAdmin: boolean;
  onAnswered: (accepted: boolean, failure: string | null) => void;
}) {
  const [busy, setBusy] = useState(false);
  async function answer(accept: boolean) {
    setBusy(true);
    const params = { params: { path: { id: collaboration.id } } };
    const outcome = await settle(
      accept
        ? api.POST("/collaborations/{id}/accept", params)
        : api.POST("/collaborations/{id}/decline", params),
    );
    setBusy(false);
    onAnswered(accept, outcome.ok ? null : failureMessage(outcome));
  }
  return (
    <Alert variant="info" heading={t("collaborations.youAreInvited", { municipality })}>
      {isAdmin ? (
        <div className="invitation-actions">
          <button type="button" className="button button-primary" disabled={busy} onClick={() => void answer(true)}>
            {t("collaborations.accept")}
          </button>
          <button
            type="button"
            className="button button-secondary"
            disabled={busy}
            onClick={() => void answer(false)}
          >
            {t("collaborations.decline")}
          </button>
        </div>
      ) : (
        <p>{t("collaborations.invitationsViewerHint")}</p>
      )}
    </Alert>
  );
}

function Detail({ current, onChanged }: { current: VersionedCollaboration; onChanged: () => void }) {
  const { collaboration } = current;
  const me = useMe();
  const isAdmin = me.role === "admin";
  const municipality = me.tenant?.name ?? "";
  const myTenant = me.tenant?.id ?? "";
  const navigate = useNavigate();
  const location = useLocation();
  const created = (location.state as { created?: string } | null)?.created;
  const [notice, setNotice] = useState<Notice | null>(created ? { text: created, variant: "success", seq: 0 } : null);
  const noticeRef = useRef<HTMLDivElement>(null);
  const [removing, setRemoving] = useState<CollaborationMember | null>(null);
  const [leaving, setLeaving] = useState(false);
  const [editing, setEditing] = useState(false);
  const coordinate = canCoordinate(collaboration, isAdmin);
  const active = collaboration.my_status === "active";

  useEffect(() => {
    if (notice && notice.seq > 0) noticeRef.current?.focus();
  }, [notice]);

  function announce(text: string, variant: Notice["variant"] = "success") {
    setNotice((n) => ({ text, variant, seq: (n?.seq ?? 0) + 1 }));
    onChanged();
  }

  async function setRole(member: CollaborationMember, role: MemberRole) {
    const outcome = await settle(
      api.PATCH("/collaborations/{id}/members/{tenant_id}", {
        params: { path: { id: collaboration.id, tenant_id: member.tenant_id } },
        body: { role },
      }),
    );
    if (outcome.ok) {
      announce(t("collaborations.roleChanged", { municipality: member.tenant_name, role: t(`memberRoles.${role}`) }));
    } else {
      announce(failureMessage(outcome), "error");
    }
  }

  return (
    <>
      <Link to="/faellesskaber" className="back-link">
        {t("collaborations.back")}
      </Link>
      <PageHeading title={collaboration.name} />
      {collaboration.description ? <p className="font-lead">{collaboration.description}</p> : null}
      {coordinate ? (
        <p>
          <button
            type="button"
            className="function-link"
            onClick={() => {
              setEditing(true);
            }}
          >
            <Icon name="edit" />
            {t("collaborations.edit")}
          </button>
        </p>
      ) : null}
      {active ? (
        <p>{t("collaborations.myRoleIs", { municipality, role: t(`memberRoles.${collaboration.my_role}`) })}</p>
      ) : null}

      {notice ? (
        <Alert key={notice.seq} ref={noticeRef} variant={notice.variant}>
          {notice.text}
        </Alert>
      ) : null}

      {collaboration.my_status === "invited" ? (
        <AnswerInvitation
          collaboration={collaboration}
          municipality={municipality}
          isAdmin={isAdmin}
          onAnswered={(accepted, failure) => {
            if (failure) announce(failure, "error");
            else if (accepted) announce(t("collaborations.accepted", { municipality, name: collaboration.name }));
            else
              void navigate("/faellesskaber", {
                state: { notice: t("collaborations.declined", { name: collaboration.name }) },
              });
          }}
        />
      ) : null}

      <section className="collaboration-members" aria-labelledby="members-heading">
        <h2 id="members-heading">{t("collaborations.membersTitle")}</h2>
        <MembersTable
          collaboration={collaboration}
          myTenant={myTenant}
          coordinate={coordinate}
          onRole={(member, role) => void setRole(member, role)}
          onRemove={setRemoving}
        />
      </section>

      {coordinate ? (
        <section className="collaboration-invite" aria-labelledby="invite-heading">
          <h2 id="invite-heading">{t("collaborations.inviteTitle")}</h2>
          <p>{t("collaborations.inviteIntro")}</p>
          <InviteForm
            collaboration={collaboration}
            onInvited={(_, name) => {
              announce(t("collaborations.invited", { municipality: name }));
            }}
          />
        </section>
      ) : null}

      {active ? <SideBySide collaboration={collaboration} municipality={municipality} /> : null}

      {active && isAdmin ? (
        <section className="collaboration-leave">
          <button
            type="button"
            className="button button-secondary"
            onClick={() => {
              setLeaving(true);
            }}
          >
            <Icon name="close" />
            {t("collaborations.leave")}
          </button>
        </section>
      ) : null}

      {removing ? (
        <RemoveMemberDialog
          collaboration={collaboration}
          member={removing}
          onClose={() => {
            setRemoving(null);
          }}
          onDone={(text) => {
            setRemoving(null);
            announce(text);
          }}
        />
      ) : null}
      {editing ? (
        <EditCollaborationDialog
          current={current}
          onClose={() => {
            setEditing(false);
          }}
          onDone={(text) => {
            setEditing(false);
            announce(text);
          }}
          onReload={() => {
            setEditing(false);
            onChanged();
          }}
        />
      ) : null}
      {leaving ? (
        <LeaveDialog
          collaboration={collaboration}
          municipality={municipality}
          lastCoordinator={coordinate && coordinators(collaboration).length <= 1}
          onClose={() => {
            setLeaving(false);
          }}
          onDone={(text) => {
            void navigate("/faellesskaber", { state: { notice: text } });
          }}
        />
      ) : null}
    </>
  );
}

export function CollaborationPage() {
  const { id = "" } = useParams();
  const [version, setVersion] = useState(0);
  const loaded = useCollaboration(id, version);
  const shown = loaded.current ?? loaded.previous;

  if (shown === null) return <Loading text={t("collaborations.loading")} />;
  if (!shown.ok) {
    if (shown.status === 404 || shown.status === 400) return <NotFoundPage />;
    return (
      <>
        <PageHeading title={t("collaborations.title")} />
        <Alert variant="error">{failureMessage(shown)}</Alert>
      </>
    );
  }
  return (
    <Detail
      key={shown.data.collaboration.id}
      current={shown.data}
      onChanged={() => {
        setVersion((v) => v + 1);
      }}
    />
  );
}
