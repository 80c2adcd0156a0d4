// One contract: its fields in groups, the derived dates that matter (with a
// warning when near), supplier, IT systems, main and supplementary
// contracts, and — for the owning municipality — attachments, sharing,
// history and archiving. A contract shared by another municipality is
// read-only and says whose it is.

import { useEffect, useRef, useState, type ReactNode } from "react";
import { Link, useLocation, useParams } from "react-router";
import { api } from "../../api/client";
import { failureMessage, settle } from "../../api/problem";
import type { Contract } from "../../api/types";
import { Alert } from "../../components/Alert";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Icon } from "../../components/Icon";
import { Loading } from "../../components/Loading";
import { PageHeading } from "../../components/PageHeading";
import { formatAmount, formatDate, formatDateTime } from "../../format";
import { t } from "../../i18n";
import { ContractTemplateSection } from "../templates/ContractTemplateSection";
import { Attachments } from "./Attachments";
import { isPublishable } from "./ContractForm";
import { Decisions, HandleDeadline } from "./Decisions";
import { History } from "./History";
import { DateWithWarning, nearness, SharedTag, StatusBadge, useCanWrite } from "./parts";
import { Sharing } from "./Sharing";
import { useContractTitle, useOptions, useOwnContracts, useVersionedContract, type Options, type VersionedContract } from "./useContracts";

function Facts({ items }: { items: readonly [string, ReactNode][] }) {
  return (
    <dl className="contract-facts">
      {items.map(([label, value]) => (
        <div key={label} className="contract-fact">
          <dt>{label}</dt>
          <dd>{value === null || value === undefined || value === "" ? t("contracts.none") : value}</dd>
        </div>
      ))}
    </dl>
  );
}

function months(count: number): string {
  return count === 1 ? t("contract.oneMonth") : t("contract.months", { count });
}

function KeyDates({ contract }: { contract: Contract }) {
  const dates: [string, string | null | undefined][] = [
    [t("contract.noticeDeadline"), contract.notice_deadline],
    [t("contract.retenderStart"), contract.retender_start],
    [t("contract.effectiveEnd"), contract.effective_end],
    [t("contract.latestEnd"), contract.latest_end],
  ];
  // Without an end date the contract runs until it is terminated.
  const ends = new Set([t("contract.effectiveEnd"), t("contract.latestEnd")]);
  return (
    <section className="contract-key-dates" aria-labelledby="key-dates-heading">
      <h2 id="key-dates-heading">{t("contract.keyDates")}</h2>
      <p className="form-hint">{t("contract.keyDatesIntro")}</p>
      <ul className="nobullet-list key-date-list">
        {dates.map(([label, iso]) => (
          <li key={label} className={`key-date key-date-${nearness(iso) ?? "none"}`}>
            <span className="key-date-label">{label}</span>
            <span className="key-date-value">
              <DateWithWarning iso={iso} absent={ends.has(label) ? t("terms.running") : undefined} />
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Related({ contract }: { contract: Contract }) {
  const parentTitle = useContractTitle(contract.parent_id);
  const own = useOwnContracts(!contract.shared);
  const children = own?.ok ? own.data.filter((c) => c.parent_id === contract.id) : [];
  return (
    <section aria-labelledby="related-heading" className="contract-section">
      <h2 id="related-heading">{t("contract.related")}</h2>
      <Facts
        items={[
          [
            t("contract.parent"),
            contract.parent_id ? (
              <Link to={`/kontrakter/${contract.parent_id}`}>{parentTitle ?? t("app.loading")}</Link>
            ) : (
              t("contract.noParent")
            ),
          ],
          ...(contract.shared
            ? []
            : ([
                [
                  t("contract.children"),
                  own === null ? (
                    t("app.loading")
                  ) : children.length === 0 ? (
                    t("contract.noChildren")
                  ) : (
                    <ul className="nobullet-list">
                      {children.map((c) => (
                        <li key={c.id}>
                          <Link to={`/kontrakter/${c.id}`}>{c.title}</Link>
                        </li>
                      ))}
                    </ul>
                  ),
                ],
              ] as [string, ReactNode][])),
        ]}
      />
    </section>
  );
}

function ContractFacts({ contract, options }: { contract: Contract; options: Options }) {
  const f = (field: Parameters<typeof t>[0]) => t(field);
  const optionsText =
    contract.options_total > 0
      ? t("contract.options", {
          total: contract.options_total,
          months: contract.option_months,
          exercised: contract.options_exercised,
        })
      : t("contract.noOptions");
  return (
    <>
      <section aria-labelledby="basics-heading" className="contract-section">
        <h2 id="basics-heading">{t("contract.basics")}</h2>
        <Facts
          items={[
            [f("contractFields.reference"), contract.reference],
            [f("contractFields.contract_type"), options.label("contract_type", contract.contract_type)],
            [
              f("contractFields.status"),
              <>
                <StatusBadge code={contract.status} label={options.label("status", contract.status)} />{" "}
                <span className="form-hint-inline">
                  ({contract.status_override ? t("contract.statusOverride") : t("contract.statusDerived")})
                </span>
              </>,
            ],
            [f("contractFields.criticality"), options.label("criticality", contract.criticality)],
            [f("contractFields.description"), contract.description ? <span className="pre-line">{contract.description}</span> : null],
          ]}
        />
      </section>
      <section aria-labelledby="supplier-heading" className="contract-section">
        <h2 id="supplier-heading">{t("contract.supplierAndSystems")}</h2>
        <Facts
          items={[
            [
              f("contractFields.supplier"),
              <>
                {contract.supplier.name} <span className="nowrap">({t("contracts.cvr", { cvr: contract.supplier.cvr })})</span>
              </>,
            ],
            [f("contractFields.supplier_contact"), contract.supplier_contact],
            [
              f("contractFields.systems"),
              contract.systems.length === 0 ? (
                t("contract.noSystems")
              ) : (
                <ul className="nobullet-list">
                  {contract.systems.map((s) => (
                    <li key={s.id}>{contract.shared ? s.name : <Link to={`/it-systemer/${s.id}`}>{s.name}</Link>}</li>
                  ))}
                </ul>
              ),
            ],
          ]}
        />
      </section>
      <section aria-labelledby="procurement-heading" className="contract-section">
        <h2 id="procurement-heading">{t("contract.procurement")}</h2>
        <Facts
          items={[
            [f("contractFields.category"), contract.category],
            [f("contractFields.cpv_code"), contract.cpv_code],
            [
              f("contractFields.agreement_elements"),
              contract.agreement_elements.map((e) => options.label("agreement_element", e)).join(", "),
            ],
            [f("contractFields.procedure"), options.label("procedure", contract.procedure)],
            [f("contractFields.framework_agreement"), contract.framework_agreement],
            [f("contractFields.publishable"), isPublishable(contract) ? t("contract.yes") : t("contract.no")],
          ]}
        />
      </section>
      <section aria-labelledby="economy-heading" className="contract-section">
        <h2 id="economy-heading">{t("contract.economy")}</h2>
        <Facts
          items={[
            [f("contractFields.annual_value"), formatAmount(contract.annual_value)],
            [f("contractFields.total_value"), formatAmount(contract.total_value)],
            [f("contractFields.payment_model"), options.label("payment_model", contract.payment_model)],
            [f("contractFields.payment_frequency"), options.label("payment_frequency", contract.payment_frequency)],
            [f("contractFields.price_regulation"), contract.price_regulation],
          ]}
        />
      </section>
      <section aria-labelledby="dates-heading" className="contract-section">
        <h2 id="dates-heading">{t("contract.datesAndNotice")}</h2>
        <Facts
          items={[
            [f("contractFields.signed_on"), formatDate(contract.signed_on)],
            [f("contractFields.start_on"), formatDate(contract.start_on)],
            [f("contractFields.end_on"), formatDate(contract.end_on) ?? t("terms.running")],
            [f("contractFields.irrevocable_until"), formatDate(contract.irrevocable_until)],
            [f("contractFields.option_years"), optionsText],
            [f("contractFields.notice_period_months"), months(contract.notice_period_months)],
            [f("contractFields.notice_to"), options.label("notice_to", contract.notice_to)],
            [f("contractFields.terminated_on"), formatDate(contract.terminated_on)],
            [f("contractFields.retender_lead_months"), months(contract.retender_lead_months)],
          ]}
        />
      </section>
      <section aria-labelledby="responsibility-heading" className="contract-section">
        <h2 id="responsibility-heading">{t("contract.responsibility")}</h2>
        <Facts
          items={[
            [
              t("ownership.contractOwner"),
              contract.owner_user ? `${contract.owner_user.name} (${contract.owner_user.email})` : null,
            ],
            [f("contractFields.system_owner"), contract.system_owner],
            [f("contractFields.responsible_unit"), contract.responsible_unit],
            [f("contractFields.notes"), contract.notes ? <span className="pre-line">{contract.notes}</span> : null],
            [f("contractFields.kitos_uuid"), contract.kitos_uuid ?? null],
          ]}
        />
      </section>
    </>
  );
}

function ArchiveDialog({
  current,
  onClose,
  onDone,
  onStale,
}: {
  current: VersionedContract;
  onClose: () => void;
  onDone: (message: string) => void;
  /** Someone changed the contract meanwhile: the page reads it again. */
  onStale: () => void;
}) {
  const restore = Boolean(current.contract.archived_at);
  // The version read is quoted: a change made meanwhile is not archived unseen.
  const params = { path: { id: current.contract.id }, header: { "If-Match": current.etag } };
  const title = current.contract.title;
  return (
    <ConfirmDialog
      title={t(restore ? "contract.restoreTitle" : "contract.archiveTitle", { title })}
      text={t(restore ? "contract.restoreText" : "contract.archiveText")}
      confirmLabel={t(restore ? "contract.restoreConfirm" : "contract.archiveConfirm")}
      warning={!restore}
      action={() =>
        restore
          ? settle(api.POST("/contracts/{id}/restore", { params }))
          : settle(api.DELETE("/contracts/{id}", { params }))
      }
      onClose={onClose}
      onDone={() => {
        onDone(t(restore ? "contract.restored" : "contract.archived"));
      }}
      onRefused={(outcome) => {
        const stale = outcome.ok ? false : outcome.status === 412 || outcome.status === 428;
        if (stale) onStale();
        return stale;
      }}
    />
  );
}

export function ContractPage() {
  const { id = "" } = useParams();
  const location = useLocation();
  const [reload, setReload] = useState(0);
  const outcome = useVersionedContract(id, reload);
  const options = useOptions();
  const canWrite = useCanWrite();
  const [archiving, setArchiving] = useState(false);
  const arrivedWith = (location.state as { notice?: string } | null)?.notice;
  const [notice, setNotice] = useState<{ text: string; seq: number; warning?: boolean } | null>(
    arrivedWith ? { text: arrivedWith, seq: 1 } : null,
  );
  const noticeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (notice && notice.seq > 1) noticeRef.current?.focus();
  }, [notice]);

  // Sharing and attachments do not change the contract itself, so its history is read again on each change.
  const [changes, setChanges] = useState(0);
  function announce(text: string, warning = false) {
    setNotice((n) => ({ text, seq: (n?.seq ?? 1) + 1, warning }));
    setChanges((n) => n + 1);
  }

  if (outcome === null) return <Loading text={t("contract.loading")} />;
  if (!outcome.ok) {
    return (
      <>
        <PageHeading title={t("contracts.title")} />
        <Alert variant="error">{outcome.status === 404 ? t("contract.notFound") : failureMessage(outcome)}</Alert>
        <p>
          <Link to="/kontrakter">{t("contract.back")}</Link>
        </p>
      </>
    );
  }
  const { contract } = outcome.data;
  const own = !contract.shared;
  const writable = own && canWrite;

  return (
    <>
      <p className="back-link-row">
        <Link to="/kontrakter" className="back-link">
          {t("contract.back")}
        </Link>
      </p>
      <PageHeading title={contract.title} />
      <p className="contract-heading-tags">
        <StatusBadge code={contract.status} label={options.label("status", contract.status)} />
        <SharedTag contract={contract} />
        {contract.archived_at ? <span className="badge">{t("contracts.archived")}</span> : null}
        <span className="contract-updated">{t("contract.updated", { date: formatDateTime(contract.updated_at) ?? "" })}</span>
      </p>
      {notice ? (
        <Alert key={notice.seq} ref={noticeRef} variant={notice.warning ? "warning" : "success"}>
          {notice.text}
        </Alert>
      ) : null}
      {contract.shared ? (
        <Alert variant="info" heading={t("contract.sharedBy", { municipality: contract.owner.name })}>
          <p>{t("contract.sharedByText", { municipality: contract.owner.name })}</p>
        </Alert>
      ) : null}
      {contract.archived_at ? (
        <Alert variant="warning" polite>
          <p>{t("contract.archivedText", { date: formatDate(contract.archived_at) ?? "" })}</p>
        </Alert>
      ) : null}
      <p className="contract-print-link">
        <Link to={`/kontrakter/${contract.id}/udskriv`} className="button button-tertiary">
          <Icon name="print" />
          {t("sheet.print")}
        </Link>
      </p>
      {writable ? (
        <ul className="unstyled-list page-actions contract-actions">
          {contract.archived_at ? null : (
            <li>
              <Link to={`/kontrakter/${contract.id}/rediger`} className="button button-primary">
                <Icon name="edit" />
                {t("contract.edit")}
              </Link>
            </li>
          )}
          <li>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                setArchiving(true);
              }}
            >
              <Icon name={contract.archived_at ? "refresh" : "folder"} />
              {contract.archived_at ? t("contract.restore") : t("contract.archive")}
            </button>
          </li>
        </ul>
      ) : null}

      <KeyDates contract={contract} />
      {writable && !contract.archived_at ? (
        <HandleDeadline
          contract={contract}
          etag={outcome.data.etag}
          onDone={(text) => {
            announce(text);
            setReload((n) => n + 1);
          }}
          onReload={() => {
            announce(t("contract.changedMeanwhile"), true);
            setReload((n) => n + 1);
          }}
        />
      ) : null}
      <ContractFacts contract={contract} options={options} />
      <Related contract={contract} />
      {contract.template ? <ContractTemplateSection contract={contract} template={contract.template} /> : null}
      {own ? (
        <Attachments contractId={contract.id} canWrite={writable} onChange={announce} />
      ) : (
        <Attachments contractId={contract.id} canWrite={false} onChange={announce} sharedBy={contract.owner.name} />
      )}
      <Decisions contractId={contract.id} version={`${contract.updated_at}|${String(changes)}`} />
      {own ? <Sharing contractId={contract.id} onChange={announce} /> : null}
      {own ? <History contractId={contract.id} version={`${contract.updated_at}|${String(changes)}`} options={options} /> : null}

      {archiving ? (
        <ArchiveDialog
          current={outcome.data}
          onClose={() => {
            setArchiving(false);
          }}
          onDone={(text) => {
            setArchiving(false);
            announce(text);
            setReload((n) => n + 1);
          }}
          onStale={() => {
            setArchiving(false);
            announce(t("contract.changedMeanwhile"), true);
            setReload((n) => n + 1);
          }}
        />
      ) : null}
    </>
  );
}
