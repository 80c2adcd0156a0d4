// "Eksportér": a DKFDS overflow menu of file formats for a list. Each choice
// fetches the file through the API client (so it carries the session's
// token) with the list's current filters and sort, and saves it.

import { useEffect, useId, useRef, useState } from "react";
import type { Outcome } from "../api/problem";
import { saveDownload } from "../api/download";
import { t } from "../i18n";
import { Alert } from "./Alert";
import { Icon } from "./Icon";

export type ExportFormat = "xlsx" | "csv" | "ocds";

const LABELS = { xlsx: "exports.xlsx", csv: "exports.csv", ocds: "exports.ocds" } as const;
const EXTENSIONS = { xlsx: "xlsx", csv: "csv", ocds: "json" } as const;

export function ExportMenu({
  formats,
  load,
  baseName,
  label = t("exports.menuLabel"),
}: {
  formats: readonly ExportFormat[];
  load: (format: ExportFormat) => Promise<Outcome<Blob>>;
  /** The file name without extension, when the server sends none. */
  baseName: string;
  label?: string;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const wrapper = useRef<HTMLDivElement>(null);
  const menuId = useId();

  useEffect(() => {
    if (!open) return undefined;
    const onPointer = (event: Event) => {
      if (!wrapper.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        setOpen(false);
        wrapper.current?.querySelector("button")?.focus();
      }
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("focusin", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("focusin", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  async function choose(format: ExportFormat) {
    setOpen(false);
    setBusy(true);
    setMessage(null);
    const fallback = `${baseName}.${EXTENSIONS[format]}`;
    const outcome = await load(format);
    setBusy(false);
    const problem = saveDownload(outcome, fallback);
    setMessage(problem ? { error: true, text: t("exports.failed", { message: problem }) } : null);
    wrapper.current?.querySelector("button")?.focus();
  }

  return (
    <div className="export-menu">
      <div className="overflow-menu overflow-menu--open-right" ref={wrapper}>
        <button
          type="button"
          className="button button-secondary button-overflow-menu"
          aria-haspopup="true"
          aria-expanded={open}
          aria-controls={menuId}
          aria-label={label}
          disabled={busy}
          onClick={() => {
            setOpen((o) => !o);
          }}
        >
          <Icon name="download" />
          <span>{busy ? t("exports.busy") : t("exports.menu")}</span>
          <Icon name={open ? "chevron-up" : "chevron-down"} />
        </button>
        <div className={`overflow-menu-inner${open ? "" : " collapsed"}`} id={menuId} aria-hidden={!open}>
          <ul className="overflow-list">
            {formats.map((format) => (
              <li key={format}>
                <button
                  type="button"
                  data-format={format}
                  onClick={() => {
                    void choose(format);
                  }}
                >
                  {t(LABELS[format])}
                </button>
              </li>
            ))}
          </ul>
          <p className="export-menu-hint">{t("exports.hint")}</p>
        </div>
      </div>
      <span className="sr-only" role="status">
        {busy ? t("exports.busy") : ""}
      </span>
      {message ? <Alert variant="error">{message.text}</Alert> : null}
    </div>
  );
}
