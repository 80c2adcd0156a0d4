// The contract's attachments: list, download, upload with progress and a
// check of type and size before sending, and delete after confirmation. A
// contract shared by another municipality shows its files only when the
// owner shared them; otherwise the section is left out.

import { useRef, useState, type SubmitEvent } from "react";
import { api } from "../../api/client";
import { failureMessage, settle } from "../../api/problem";
import type { Attachment } from "../../api/types";
import { Alert } from "../../components/Alert";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Icon } from "../../components/Icon";
import { Loading } from "../../components/Loading";
import { formatDateTime } from "../../format";
import { t } from "../../i18n";
import { useAttachments } from "./useContracts";
import { ACCEPT, checkFile, uploadAttachment } from "./upload";

export function formatSize(bytes: number): string {
  if (bytes < 1024) return t("attachments.bytes", { count: bytes });
  if (bytes < 1024 * 1024) return t("attachments.kilobytes", { count: Math.ceil(bytes / 1024) });
  return t("attachments.megabytes", { count: (bytes / (1024 * 1024)).toFixed(1).replace(".", ",") });
}

async function download(contractId: string, attachment: Attachment): Promise<boolean> {
  const outcome = await settle(
    api.GET("/contracts/{id}/attachments/{attachment_id}", {
      params: { path: { id: contractId, attachment_id: attachment.id } },
      parseAs: "blob",
    }),
  );
  if (!outcome.ok) return false;
  const url = URL.createObjectURL(outcome.data);
  const link = document.createElement("a");
  link.href = url;
  link.download = attachment.filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 10_000);
  return true;
}

function UploadForm({ contractId, onUploaded }: { contractId: string; onUploaded: (name: string) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ name: string; fraction: number } | null>(null);

  async function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const file = input.current?.files?.[0];
    if (!file) {
      setError(t("attachments.noFile"));
      input.current?.focus();
      return;
    }
    const problem = checkFile(file);
    if (problem) {
      setError(
        problem === "wrongType"
          ? t("attachments.wrongType", { name: file.name })
          : t("attachments.tooBig", { name: file.name, size: formatSize(file.size) }),
      );
      input.current?.focus();
      return;
    }
    setError(null);
    setProgress({ name: file.name, fraction: 0 });
    const result = await uploadAttachment(contractId, file, (fraction) => {
      setProgress({ name: file.name, fraction });
    });
    setProgress(null);
    if (result.ok) {
      if (input.current) input.current.value = "";
      onUploaded(result.attachment.filename);
      return;
    }
    if (result.status === 413) setError(t("attachments.tooBig", { name: file.name, size: formatSize(file.size) }));
    else if (result.status === 415 || result.status === 422) setError(t("attachments.rejected"));
    else setError(result.status === 0 ? t("attachments.failed") : failureMessage(result));
    input.current?.focus();
  }

  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)} className="attachment-upload" aria-labelledby="upload-heading">
      <h3 id="upload-heading">{t("attachments.upload")}</h3>
      <div className={`form-group${error ? " form-error" : ""}`}>
        <label className="form-label" htmlFor="attachment-file">
          {t("attachments.chooseFile")}
        </label>
        <span className="form-hint" id="attachment-file-hint">
          {t("attachments.limits")}
        </span>
        {error ? (
          <span className="form-error-message" id="attachment-file-error" role="alert">
            <span className="sr-only">{t("form.errorPrefix")} </span>
            {error}
          </span>
        ) : null}
        <input
          ref={input}
          id="attachment-file"
          name="file"
          type="file"
          className="form-file-input"
          accept={ACCEPT}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "attachment-file-hint attachment-file-error" : "attachment-file-hint"}
          onChange={() => {
            setError(null);
          }}
        />
      </div>
      {progress ? (
        <div className="upload-progress">
          <label htmlFor="attachment-progress">{t("attachments.uploading", { name: progress.name })}</label>
          <progress id="attachment-progress" max={100} value={Math.round(progress.fraction * 100)}>
            {Math.round(progress.fraction * 100)} %
          </progress>
        </div>
      ) : null}
      <button type="submit" className="button button-secondary" disabled={progress !== null}>
        <Icon name="plus" />
        {t("attachments.uploadButton")}
      </button>
    </form>
  );
}

function DeleteDialog({
  contractId,
  attachment,
  onClose,
  onDeleted,
}: {
  contractId: string;
  attachment: Attachment;
  onClose: () => void;
  onDeleted: (name: string) => void;
}) {
  return (
    <ConfirmDialog
      title={t("attachments.deleteTitle", { name: attachment.filename })}
      text={t("attachments.deleteText")}
      confirmLabel={t("attachments.deleteConfirm")}
      action={() =>
        settle(
          api.DELETE("/contracts/{id}/attachments/{attachment_id}", {
            params: { path: { id: contractId, attachment_id: attachment.id } },
          }),
        )
      }
      onClose={onClose}
      onDone={() => {
        onDeleted(attachment.filename);
      }}
    />
  );
}

export function Attachments({
  contractId,
  canWrite,
  onChange,
  sharedBy,
}: {
  contractId: string;
  canWrite: boolean;
  onChange: (message: string) => void;
  /** The owner's name, for a contract shared with the municipality. */
  sharedBy?: string;
}) {
  const [version, setVersion] = useState(0);
  const list = useAttachments(contractId, version);
  const [deleting, setDeleting] = useState<Attachment | null>(null);
  const [downloadError, setDownloadError] = useState(false);

  function changed(message: string) {
    setVersion((v) => v + 1);
    onChange(message);
  }

  // Another municipality's contract shows the section only once its files
  // are known to be shared with it: not shared with the files, there is
  // nothing to show and nothing missing, and a heading that appears and
  // goes again would only confuse.
  if (sharedBy !== undefined && (list === null || (!list.ok && list.status === 404))) return null;

  return (
    <section aria-labelledby="attachments-heading" className="contract-section">
      <h2 id="attachments-heading">{t("attachments.title")}</h2>
      <p>{sharedBy === undefined ? t("attachments.intro") : t("attachments.sharedIntro", { municipality: sharedBy })}</p>
      {list === null ? <Loading text={t("attachments.loading")} /> : null}
      {list && !list.ok ? <Alert variant="error">{failureMessage(list)}</Alert> : null}
      {downloadError ? <Alert variant="error">{t("attachments.downloadFailed")}</Alert> : null}
      {list?.ok && list.data.length === 0 ? (
        <p className="empty-note">{canWrite ? t("attachments.emptyWriter") : t("attachments.empty")}</p>
      ) : null}
      {list?.ok && list.data.length > 0 ? (
        <div>
          <table className="table table--zebra attachments-table table-md-responsive-headers">
            <caption className="sr-only">{t("attachments.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("attachments.colName")}</th>
                <th scope="col">{t("attachments.colSize")}</th>
                <th scope="col">{t("attachments.colAdded")}</th>
                <th scope="col">{t("attachments.colActions")}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((a) => (
                <tr key={a.id}>
                  <th scope="row" className="text-break">
                    {a.filename}
                  </th>
                  <td className="nowrap" data-title={t("attachments.colSize")}>
                    {formatSize(a.size_bytes)}
                  </td>
                  <td className="nowrap" data-title={t("attachments.colAdded")}>
                    {formatDateTime(a.created_at)}
                  </td>
                  <td data-title={t("attachments.colActions")}>
                    <ul className="unstyled-list row-actions">
                      <li>
                        <button
                          type="button"
                          className="function-link"
                          onClick={() => {
                            setDownloadError(false);
                            void download(contractId, a).then((ok) => {
                              setDownloadError(!ok);
                            });
                          }}
                        >
                          {t("attachments.download")}
                          <span className="sr-only"> {a.filename}</span>
                        </button>
                      </li>
                      {canWrite ? (
                        <li>
                          <button
                            type="button"
                            className="function-link"
                            onClick={() => {
                              setDeleting(a);
                            }}
                          >
                            <Icon name="close" />
                            {t("attachments.delete")}
                            <span className="sr-only"> {a.filename}</span>
                          </button>
                        </li>
                      ) : null}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {canWrite ? (
        <UploadForm
          contractId={contractId}
          onUploaded={(name) => {
            changed(t("attachments.uploaded", { name }));
          }}
        />
      ) : null}
      {deleting ? (
        <DeleteDialog
          contractId={contractId}
          attachment={deleting}
          onClose={() => {
            setDeleting(null);
          }}
          onDeleted={(name) => {
            setDeleting(null);
            changed(t("attachments.deleted", { name }));
          }}
        />
      ) : null}
    </section>
  );
}
