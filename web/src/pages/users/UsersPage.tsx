// Administration → Brugere: the municipality's users, with search and
// paging in the address, a form to create users, and role and status changes.

import { useEffect, useRef, useState, type SubmitEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { ROLES, type User } from "../../api/types";
import { useMe } from "../../auth/AuthContext";
import { Alert } from "../../components/Alert";
import { SelectField, TextField } from "../../components/fields";
import { Icon } from "../../components/Icon";
import { PageHeading } from "../../components/PageHeading";
import { PagedList } from "../../components/PagedList";
import { formatDateTime } from "../../format";
import { t } from "../../i18n";
import { CreateUserForm } from "./CreateUserForm";
import { ActiveDialog, ChangeRoleDialog, type UserAction } from "./UserDialogs";
import {
  isFiltered,
  PAGE_SIZE,
  querySearch,
  readQuery,
  useUserList,
  type ListQuery,
  type StatusFilter,
} from "./useUsers";

function SearchForm({ query, onSearch }: { query: ListQuery; onSearch: (query: ListQuery) => void }) {
  const [q, setQ] = useState(query.q);
  const [role, setRole] = useState<string>(query.role);
  const [status, setStatus] = useState<string>(query.status);

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    onSearch(readQuery(new URLSearchParams({ q, rolle: role, status })));
  }

  return (
    <form role="search" aria-label={t("users.searchLegend")} className="user-search" onSubmit={onSubmit}>
      <TextField
        id="user-search"
        type="search"
        label={t("users.searchLabel")}
        value={q}
        onChange={setQ}
        inputClassName="input-width-l"
        className="user-search-text"
      />
      <SelectField
        id="user-role-filter"
        label={t("users.roleFilter")}
        value={role}
        onChange={setRole}
        options={[
          { value: "", label: t("users.allRoles") },
          ...ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) })),
        ]}
      />
      <SelectField
        id="user-status-filter"
        label={t("users.statusFilter")}
        value={status}
        onChange={setStatus}
        options={[
          { value: "", label: t("users.allStatuses") },
          { value: "active" satisfies StatusFilter, label: t("users.active") },
          { value: "inactive" satisfies StatusFilter, label: t("users.inactive") },
        ]}
      />
      <div className="form-group user-search-submit">
        <button type="submit" className="button button-secondary">
          <Icon name="search" />
          {t("users.search")}
        </button>
      </div>
    </form>
  );
}

function UserRow({ user, isMe, onAction }: { user: User; isMe: boolean; onAction: (action: UserAction) => void }) {
  return (
    <tr>
      <th scope="row">
        {user.name}
        {isMe ? <span className="weight-normal"> {t("users.you")}</span> : null}
      </th>
      <td className="text-break" data-title={t("users.colEmail")}>
        {user.email}
      </td>
      <td data-title={t("users.colRole")}>{t(`roles.${user.role}`)}</td>
      <td data-title={t("users.colStatus")}>
        {user.active ? (
          <span className="badge badge-success">{t("users.active")}</span>
        ) : (
          <span className="badge">{t("users.inactive")}</span>
        )}
      </td>
      <td className="nowrap" data-title={t("users.colLastLogin")}>
        {formatDateTime(user.last_login_at) ?? t("users.never")}
      </td>
      <td data-title={t("users.colActions")}>
        <ul className="unstyled-list row-actions">
          <li>
            <button
              type="button"
              className="function-link"
              onClick={() => {
                onAction({ kind: "role", user });
              }}
            >
              <Icon name="edit" />
              {t("users.changeRole")}
              <span className="sr-only"> {t("users.forName", { name: user.name })}</span>
            </button>
          </li>
          {user.active && !isMe ? (
            <li>
              <button
                type="button"
                className="function-link"
                onClick={() => {
                  onAction({ kind: "deactivate", user });
                }}
              >
                <Icon name="person-remove" />
                {t("users.deactivate")}
                <span className="sr-only"> {user.name}</span>
              </button>
            </li>
          ) : null}
          {!user.active ? (
            <li>
              <button
                type="button"
                className="function-link"
                onClick={() => {
                  onAction({ kind: "reactivate", user });
                }}
              >
                <Icon name="person-add" />
                {t("users.reactivate")}
                <span className="sr-only"> {user.name}</span>
              </button>
            </li>
          ) : null}
        </ul>
      </td>
    </tr>
  );
}

export function UsersPage() {
  const me = useMe();
  const municipality = me.tenant?.name ?? "";
  const [params, setParams] = useSearchParams();
  const query = readQuery(params);
  const [version, setVersion] = useState(0);
  const list = useUserList(query, version);
  const [action, setAction] = useState<UserAction | null>(null);
  const [notice, setNotice] = useState<{ text: string; seq: number } | null>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  const nameInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  function announce(text: string) {
    setNotice((n) => ({ text, seq: (n?.seq ?? 0) + 1 }));
    setVersion((v) => v + 1);
  }


  return (
    <>
      <PageHeading title={t("users.title")} />
      <p className="font-lead">{t("users.intro", { municipality })}</p>
      <p>
        <a
          href="#create-user-heading"
          className="button button-secondary"
          onClick={(e) => {
            e.preventDefault();
            document.getElementById("create-user-heading")?.scrollIntoView({ block: "start" });
            nameInput.current?.focus({ preventScroll: true });
          }}
        >
          <Icon name="person-add" />
          {t("users.createTitle")}
        </a>
      </p>

      {notice ? (
        <Alert key={notice.seq} ref={noticeRef} variant="success">
          {notice.text}
        </Alert>
      ) : null}

      <SearchForm
        key={params.toString()}
        query={query}
        onSearch={(next) => {
          setParams(querySearch({ ...next, page: 1 }));
        }}
      />

      <PagedList
        className="user-list"
        list={list}
        page={query.page}
        pageSize={PAGE_SIZE}
        loadingText={t("users.loadingList")}
        showingOne={t("users.showingOne")}
        showing={(range) => t("users.showing", range)}
        empty={
          isFiltered(query) ? (
            <>
              <p>{t("users.emptySearch")}</p>
              <p>
                <Link to="/administration/brugere">{t("users.clearSearch")}</Link>
              </p>
            </>
          ) : (
            <p>{t("users.emptyAll")}</p>
          )
        }
        pageHref={(p) => `/administration/brugere${querySearch({ ...query, page: p })}`}
      >
        {(items) => (
          <div>
            <table className="table table--zebra table-md-responsive-headers users-table">
              <caption className="sr-only">{t("users.tableCaption", { municipality })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("users.colName")}</th>
                  <th scope="col">{t("users.colEmail")}</th>
                  <th scope="col">{t("users.colRole")}</th>
                  <th scope="col">{t("users.colStatus")}</th>
                  <th scope="col">{t("users.colLastLogin")}</th>
                  <th scope="col">{t("users.colActions")}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((user) => (
                  <UserRow key={user.id} user={user} isMe={user.id === me.id} onAction={setAction} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </PagedList>

      <section className="create-user" aria-labelledby="create-user-heading">
        <h2 id="create-user-heading">{t("users.createTitle")}</h2>
        <p>{t("users.createIntro")}</p>
        <CreateUserForm
          nameRef={nameInput}
          onCreated={(user) => {
            announce(t("users.created", { name: user.name, role: t(`roles.${user.role}`) }));
          }}
        />
      </section>

      {action?.kind === "role" ? (
        <ChangeRoleDialog
          action={action}
          onClose={() => {
            setAction(null);
          }}
          onDone={(text) => {
            setAction(null);
            announce(text);
          }}
        />
      ) : null}
      {action?.kind === "deactivate" || action?.kind === "reactivate" ? (
        <ActiveDialog
          action={action}
          onClose={() => {
            setAction(null);
          }}
          onDone={(text) => {
            setAction(null);
            announce(text);
          }}
        />
      ) : null}
    </>
  );
}
