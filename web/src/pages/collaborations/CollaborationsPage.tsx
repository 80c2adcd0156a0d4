// Fællesskaber: the municipality's collaborations, the invitations waiting
// for its answer, and (for admins) a form to create a new collaboration.

import { useEffect, useRef, useState } from "react";
import { Link, useLocation, useNavigate } from "react-router";
import { api } from "../../api/client";
import { failureMessage, settle } from "../../api/problem";
import type { Collaboration } from "../../api/types";
import { useMe } from "../../auth/AuthContext";
import { Alert } from "../../components/Alert";
import { Icon } from "../../components/Icon";
import { Loading } from "../../components/Loading";
import { PageHeading } from "../../components/PageHeading";
import { formatDate } from "../../format";
import { t } from "../../i18n";
import { CreateCollaborationForm } from "./CreateCollaborationForm";
import { activeCount, coordinators, invitedCount } from "./members";
import { useCollaborationList } from "./useCollaborations";

interface Notice {
  text: string;
  variant: "success" | "error";
  seq: number;
}

function Invitations({
  items,
  isAdmin,
  municipality,
  onAnswered,
}: {
  items: Collaboration[];
  isAdmin: boolean;
  municipality: string;
  onAnswered: (text: string, variant: Notice["variant"]) => void;
}) {
  const [busy, setBusy] = useState<string | null>(null);

  async function answer(collaboration: Collaboration, accept: boolean) {
    setBusy(collaboration.id);
    const params = { params: { path: { id: collaboration.id } } };
    const outcome = await settle(
      accept
        ? api.POST("/collaborations/{id}/accept", params)
        : api.POST("/collaborations/{id}/decline", params),
    );
    setBusy(null);
    if (outcome.ok) {
      onAnswered(
        accept
          ? t("collaborations.accepted", { municipality, name: collaboration.name })
          : t("collaborations.declined", { name: collaboration.name }),
        "success",
      );
    } else {
      onAnswered(failureMessage(outcome), "error");
    }
  }

  return (
    <section className="collaboration-invitations" aria-labelledby="invitations-heading">
      <h2 id="invitations-heading">{t("collaborations.invitationsTitle")}</h2>
      <p>{t("collaborations.invitationsIntro", { municipality })}</p>
      {isAdmin ? null : <p className="form-hint">{t("collaborations.invitationsViewerHint")}</p>}
      <table className="table table--zebra table-md-responsive-headers invitations-table">
        <caption className="sr-only">{t("collaborations.invitationsCaption", { municipality })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("collaborations.colName")}</th>
            <th scope="col">{t("collaborations.invitedBy")}</th>
            <th scope="col">{t("collaborations.invitedAt")}</th>
            {isAdmin ? <th scope="col">{t("collaborations.colActions")}</th> : null}
          </tr>
        </thead>
        <tbody>
          {items.map((c) => {
            const mine = c.members.find((m) => m.status === "invited");
            return (
              <tr key={c.id}>
                <th scope="row">
                  <Link to={`/faellesskaber/${c.id}`}>{c.name}</Link>
                  {c.description ? <p className="weight-normal collaboration-description">{c.description}</p> : null}
                </th>
                <td data-title={t("collaborations.invitedBy")}>{coordinators(c).join(", ")}</td>
                <td className="nowrap" data-title={t("collaborations.invitedAt")}>
                  {formatDate(mine?.invited_at) ?? ""}
                </td>
                {isAdmin ? (
                  <td data-title={t("collaborations.colActions")}>
                    <div className="invitation-actions">
                      <button
                        type="button"
                        className="button button-primary"
                        disabled={busy !== null}
                        onClick={() => void answer(c, true)}
                      >
                        {t("collaborations.accept")}
                        <span className="sr-only"> {t("collaborations.acceptFor", { name: c.name })}</span>
                      </button>
                      <button
                        type="button"
                        className="button button-secondary"
                        disabled={busy !== null}
                        onClick={() => void answer(c, false)}
                      >
                        {t("collaborations.decline")}
                        <span className="sr-only"> {t("collaborations.acceptFor", { name: c.name })}</span>
                      </button>
                    </div>
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

function MemberList({ items, municipality }: { items: Collaboration[]; municipality: string }) {
  return (
    <table className="table table--zebra table-md-responsive-headers collaborations-table">
      <caption className="sr-only">{t("collaborations.listCaption", { municipality })}</caption>
      <thead>
        <tr>
          <th scope="col">{t("collaborations.colName")}</th>
          <th scope="col">{t("collaborations.colMyRole")}</th>
          <th scope="col">{t("collaborations.colCoordinator")}</th>
          <th scope="col">{t("collaborations.colMembers")}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((c) => {
          const active = activeCount(c);
          const invited = invitedCount(c);
          return (
            <tr key={c.id}>
              <th scope="row">
                <Link to={`/faellesskaber/${c.id}`}>{c.name}</Link>
                {c.description ? <p className="weight-normal collaboration-description">{c.description}</p> : null}
              </th>
              <td data-title={t("collaborations.colMyRole")}>{t(`memberRoles.${c.my_role}`)}</td>
              <td data-title={t("collaborations.colCoordinator")}>{coordinators(c).join(", ")}</td>
              <td className="nowrap" data-title={t("collaborations.colMembers")}>
                {active === 1 ? t("collaborations.membersCountOne") : t("collaborations.membersCount", { active })}
                {invited > 0 ? `, ${t("collaborations.invitedCount", { count: invited })}` : ""}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function CollaborationsPage() {
  const me = useMe();
  const isAdmin = me.role === "admin";
  const municipality = me.tenant?.name ?? "";
  const navigate = useNavigate();
  const [version, setVersion] = useState(0);
  const list = useCollaborationList(version);
  // A notice handed over by the detail page (after declining or leaving).
  const handedOver = (useLocation().state as { notice?: string } | null)?.notice;
  const [notice, setNotice] = useState<Notice | null>(
    handedOver ? { text: handedOver, variant: "success", seq: 0 } : null,
  );
  const noticeRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (notice && notice.seq > 0) noticeRef.current?.focus();
  }, [notice]);

  const shown = list.current ?? list.previous;
  const all = shown?.ok ? shown.data.items : null;
  const invitations = all?.filter((c) => c.my_status === "invited") ?? [];
  const memberships = all?.filter((c) => c.my_status === "active") ?? [];

  return (
    <>
      <PageHeading title={t("collaborations.title")} />
      <p className="font-lead">{t("collaborations.intro")}</p>
      {isAdmin ? (
        <p>
          <a href="#create-collaboration-heading" className="button button-secondary">
            <Icon name="plus" />
            {t("collaborations.createTitle")}
          </a>
        </p>
      ) : null}

      {notice ? (
        <Alert key={notice.seq} ref={noticeRef} variant={notice.variant}>
          {notice.text}
        </Alert>
      ) : null}

      <div aria-busy={list.current === null}>
        {shown === null ? <Loading text={t("collaborations.loadingList")} /> : null}
        {shown && !shown.ok ? <Alert variant="error">{failureMessage(shown)}</Alert> : null}
        {all ? (
          <>
            {invitations.length > 0 ? (
              <Invitations
                items={invitations}
                isAdmin={isAdmin}
                municipality={municipality}
                onAnswered={(text, variant) => {
                  setNotice((n) => ({ text, variant, seq: (n?.seq ?? 0) + 1 }));
                  setVersion((v) => v + 1);
                }}
              />
            ) : null}
            <section className="collaboration-list" aria-labelledby="collaborations-heading">
              <h2 id="collaborations-heading">{t("collaborations.listTitle")}</h2>
              {memberships.length === 0 ? (
                <Alert variant="info">
                  <p>
                    {t(isAdmin ? "collaborations.emptyAdmin" : "collaborations.emptyOther", { municipality })}
                  </p>
                </Alert>
              ) : (
                <MemberList items={memberships} municipality={municipality} />
              )}
            </section>
          </>
        ) : null}
      </div>

      {isAdmin ? (
        <section className="create-collaboration" aria-labelledby="create-collaboration-heading">
          <h2 id="create-collaboration-heading">{t("collaborations.createTitle")}</h2>
          <p>{t("collaborations.createIntro")}</p>
          <CreateCollaborationForm
            onCreated={(collaboration) => {
              void navigate(`/faellesskaber/${collaboration.id}`, {
                state: { created: t("collaborations.created", { name: collaboration.name }) },
              });
            }}
          />
        </section>
      ) : null}
    </>
  );
}
