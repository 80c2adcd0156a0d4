// A Markdown text with a preview: "Skriv" shows the text field, "Vis" the
// text as it will read. The preview is rendered with raw HTML escaped.

import { useState } from "react";
import { describedBy } from "../../components/fields";
import { t } from "../../i18n";
import { renderMarkdown } from "./markdown";

export function MarkdownPreview({ text, className }: { text: string; className?: string }) {
  // markdown-it runs with html: false and only http(s)/mailto links, so the
  // HTML holds nothing but the elements Markdown itself produces.
  return <div className={`markdown-body${className ? ` ${className}` : ""}`} dangerouslySetInnerHTML={{ __html: renderMarkdown(text) }} />;
}

export function MarkdownEditor({
  id,
  label,
  value,
  onChange,
  hint,
  error,
  rows = 8,
  readOnly = false,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: string;
  error?: string | undefined;
  rows?: number;
  readOnly?: boolean;
}) {
  const [preview, setPreview] = useState(false);
  const fullHint = hint ? `${hint} ${t("templates.markdown.help")}` : t("templates.markdown.help");
  return (
    <div className={`form-group markdown-editor${error ? " form-error" : ""}`}>
      <label className="form-label" htmlFor={id}>
        {label}
      </label>
      <span className="form-hint" id={`${id}-hint`}>
        {fullHint}
      </span>
      {error ? (
        <span className="form-error-message" id={`${id}-error`}>
          <span className="sr-only">{t("form.errorPrefix")} </span>
          {error}
        </span>
      ) : null}
      <div className="markdown-modes" role="group" aria-label={label}>
        <button
          type="button"
          className={`button button-small ${preview ? "button-secondary" : "button-primary"}`}
          aria-pressed={!preview}
          onClick={() => {
            setPreview(false);
          }}
        >
          {t("templates.markdown.write")}
        </button>
        <button
          type="button"
          className={`button button-small ${preview ? "button-primary" : "button-secondary"}`}
          aria-pressed={preview}
          onClick={() => {
            setPreview(true);
          }}
        >
          {t("templates.markdown.preview")}
        </button>
      </div>
      <textarea
        id={id}
        name={id}
        className="form-input input-width-xl markdown-input"
        hidden={preview}
        rows={rows}
        value={value}
        readOnly={readOnly}
        onChange={(e) => {
          onChange(e.target.value);
        }}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, fullHint, error)}
      />
      {preview ? (
        <section id={`${id}-preview`} className="markdown-preview" aria-label={t("templates.markdown.previewHeading")}>
          {value.trim() === "" ? <p className="text-muted">{t("templates.markdown.previewEmpty")}</p> : <MarkdownPreview text={value} />}
        </section>
      ) : null}
    </div>
  );
}
