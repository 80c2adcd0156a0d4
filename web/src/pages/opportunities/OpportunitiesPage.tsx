// Muligheder: across one collaboration, the contracts of at least two
// municipalities in the same CPV group (or class, division, category)
// that are up for re-tender within the window, proposed as one joint
// tender; and, in a second view, the municipality's own contracts with
// who else re-tenders the same soon.

import { useState, type SubmitEvent } from "react";
import { useSearchParams } from "react-router";
import { failureMessage } from "../../api/problem";
import type { OpportunityGroup } from "../../api/types";
import { Alert } from "../../components/Alert";
import { SelectField, TextField } from "../../components/fields";
import { Loading } from "../../components/Loading";
import { PageHeading } from "../../components/PageHeading";
import { formatDate } from "../../format";
import { t } from "../../i18n";
import { useCanWrite } from "../contracts/parts";
import { useCollaborations } from "../contracts/useContracts";
import { CreateTenderDialog } from "./CreateTenderDialog";
import { LEVELS, levelLabelKey, parseWindow, readFilters, writeFilters, type Filters, type Level, type View } from "./model";
import { MyOpportunities } from "./MyOpportunities";
import { OpportunityCard } from "./OpportunityCard";
import { useOpportunities } from "./useOpportunities";

function FilterForm({
  filters,
  collaborations,
  onApply,
}: {
  filters: Filters;
  collaborations: readonly { id: string; name: string }[];
  onApply: (next: Filters) => void;
}) {
  const [collaborationId, setCollaborationId] = useState(filters.collaborationId);
  const [months, setMonths] = useState(String(filters.windowMonths));
  const [level, setLevel] = useState<Level>(filters.level);
  const [monthsError, setMonthsError] = useState<string | undefined>();

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const windowMonths = parseWindow(months);
    if (windowMonths === null) {
      setMonthsError(t("opportunities.windowInvalid"));
      document.getElementById("opportunities-window")?.focus();
      return;
    }
    setMonthsError(undefined);
    onApply({ ...filters, collaborationId, windowMonths, level });
  }

  const groupsView = filters.view === "faellesskab";
  return (
    <form noValidate className="opportunity-filters" aria-labelledby="filters-heading" onSubmit={onSubmit}>
      <h2 id="filters-heading" className="h3">
        {t("opportunities.filtersHeading")}
      </h2>
      <div className="opportunity-filter-fields">
        {groupsView ? (
          <SelectField
            id="opportunities-collaboration"
            label={t("opportunities.collaboration")}
            hint={t("opportunities.collaborationHint")}
            value={collaborationId}
            onChange={setCollaborationId}
            options={collaborations.map((c) => ({ value: c.id, label: c.name }))}
          />
        ) : null}
        <TextField
          id="opportunities-window"
          label={t("opportunities.windowMonths")}
          hint={t("opportunities.windowHint")}
          value={months}
          onChange={setMonths}
          error={monthsError}
          inputClassName="input-width-xs"
        />
        {groupsView ? (
          <SelectField
            id="opportunities-level"
            label={t("opportunities.level")}
            hint={t("opportunities.levelHint")}
            value={level}
            onChange={(v) => {
              setLevel(LEVELS.find((l) => l === v) ?? "group");
            }}
            options={LEVELS.map((l) => ({ value: l, label: t(levelLabelKey(l)) }))}
          />
        ) : null}
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary">
          {t("opportunities.show")}
        </button>
      </div>
    </form>
  );
}

function Groups({ filters }: { filters: Filters }) {
  const canWrite = useCanWrite();
  const [reload, setReload] = useState(0);
  const [creating, setCreating] = useState<OpportunityGroup | null>(null);
  const [gone, setGone] = useState(false);
  const list = useOpportunities(filters.collaborationId, filters.windowMonths, filters.level, reload);
  return (
    <section aria-labelledby="groups-heading" className="opportunity-groups">
      <h2 id="groups-heading">{t("opportunities.tabGroups")}</h2>
      {gone ? <Alert variant="error">{t("opportunityCreate.gone")}</Alert> : null}
      {list === null ? <Loading text={t("opportunities.loading")} /> : null}
      {list && !list.ok ? <Alert variant="error">{failureMessage(list)}</Alert> : null}
      {list?.ok ? (
        <>
          <p role="status" className="opportunity-summary">
            {list.data.total === 1
              ? t("opportunities.summaryOne", {
                  from: formatDate(list.data.window.from) ?? "",
                  to: formatDate(list.data.window.to) ?? "",
                })
              : t("opportunities.summary", {
                  count: list.data.total,
                  from: formatDate(list.data.window.from) ?? "",
                  to: formatDate(list.data.window.to) ?? "",
                })}
          </p>
          {list.data.items.length === 0 ? <Alert variant="info">{t("opportunities.empty")}</Alert> : null}
          {list.data.items.map((group) => (
            <OpportunityCard key={group.key} group={group} canCreate={canWrite} onCreate={(g) => {
                setGone(false);
                setCreating(g);
              }} />
          ))}
          {creating ? (
            <CreateTenderDialog
              group={creating}
              collaborationId={filters.collaborationId}
              level={filters.level}
              windowMonths={filters.windowMonths}
              from={list.data.window.from}
              onClose={() => {
                setCreating(null);
              }}
              onGone={() => {
                setCreating(null);
                setGone(true);
                setReload((n) => n + 1);
              }}
            />
          ) : null}
        </>
      ) : null}
    </section>
  );
}

const VIEWS: readonly View[] = ["faellesskab", "vores-kontrakter"];

export function OpportunitiesPage() {
  const [params, setParams] = useSearchParams();
  const collaborations = useCollaborations();
  const requested = readFilters(params);
  const own = collaborations?.ok ? collaborations.data : [];
  // Without a choice in the address, the first collaboration the municipality is an active member of.
  const collaborationId = own.some((c) => c.id === requested.collaborationId)
    ? requested.collaborationId
    : (own[0]?.id ?? "");
  const filters: Filters = { ...requested, collaborationId };

  const apply = (next: Filters) => {
    setParams(writeFilters(next), { replace: false });
  };

  return (
    <>
      <PageHeading title={t("opportunities.title")} />
      <p className="font-lead">{t("opportunities.intro")}</p>
      {collaborations === null ? <Loading text={t("app.loading")} /> : null}
      {collaborations && !collaborations.ok ? <Alert variant="error">{failureMessage(collaborations)}</Alert> : null}
      {collaborations?.ok ? (
        <>
          <div className="plan-view-choice" role="group" aria-label={t("opportunities.tabsLabel")}>
            {VIEWS.map((v) => (
              <button
                key={v}
                type="button"
                className={v === filters.view ? "button button-primary" : "button button-secondary"}
                aria-pressed={v === filters.view}
                onClick={() => {
                  apply({ ...filters, view: v });
                }}
              >
                {v === "faellesskab" ? t("opportunities.tabGroups") : t("opportunities.tabMine")}
              </button>
            ))}
          </div>
          {filters.view === "faellesskab" && own.length === 0 ? (
            <Alert variant="info">{t("opportunities.noCollaborations")}</Alert>
          ) : (
            // Keyed by the address, so the fields follow it when it changes from outside (back button, a link).
            <FilterForm
              key={`${filters.collaborationId}|${String(filters.windowMonths)}|${filters.level}`}
              filters={filters}
              collaborations={own}
              onApply={apply}
            />
          )}
          {filters.view === "faellesskab" && collaborationId ? <Groups filters={filters} /> : null}
          {filters.view === "vores-kontrakter" ? <MyOpportunities windowMonths={filters.windowMonths} /> : null}
        </>
      ) : null}
    </>
  );
}
