// The secret of a new or rotated client, shown this once, with copy buttons
// and the request that turns it into a token.

import { useState, type Ref } from "react";
import type { IssuedApiClient } from "../../api/types";
import { Icon } from "../../components/Icon";
import { t } from "../../i18n";
import { tokenCommand } from "./useApiClients";

function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <>
      <button
        type="button"
        className="button button-secondary button-small copy-button"
        onClick={() => {
          navigator.clipboard.writeText(text).then(
            () => {
              setState("copied");
            },
            () => {
              setState("failed");
            },
          );
        }}
      >
        <Icon name="copy" />
        {label}
      </button>
      <span className="copy-status" role="status">
        {state === "copied" ? t("apiClients.copied") : state === "failed" ? t("apiClients.copyFailed") : ""}
      </span>
    </>
  );
}

export function SecretPanel({
  issued,
  intro,
  onDismiss,
  ref,
}: {
  issued: IssuedApiClient;
  intro: string;
  onDismiss: () => void;
  ref?: Ref<HTMLDivElement>;
}) {
  const { client, client_secret: secret } = issued;
  const command = tokenCommand(window.location.origin, client.client_id, secret);
  return (
    <div ref={ref} tabIndex={-1} role="region" aria-labelledby="secret-heading" className="alert alert-warning secret-panel">
      <Icon name="warning" className="alert-icon" />
      <div className="alert-body">
        <h2 className="alert-heading h3" id="secret-heading">
          {t("apiClients.secretTitle")}
        </h2>
        <div className="alert-text">
          <p>{intro}</p>
          <p>{t("apiClients.secretWarning")}</p>
          <dl className="secret-values">
            <dt>{t("apiClients.clientIdLabel")}</dt>
            <dd>
              <code className="secret-value" data-testid="client-id">
                {client.client_id}
              </code>
              <CopyButton text={client.client_id} label={t("apiClients.copyClientId")} />
            </dd>
            <dt>{t("apiClients.secretLabel")}</dt>
            <dd>
              <code className="secret-value" data-testid="client-secret">
                {secret}
              </code>
              <CopyButton text={secret} label={t("apiClients.copySecret")} />
            </dd>
          </dl>
          <h3 className="h4">{t("apiClients.tokenTitle")}</h3>
          <p>{t("apiClients.tokenText")}</p>
          <p className="weight-semibold">{t("apiClients.tokenCommand")}</p>
          <pre className="token-command" tabIndex={0}>
            <code>{command}</code>
          </pre>
          <p>
            <CopyButton text={command} label={t("apiClients.copy")} />
          </p>
          <p>
            <button type="button" className="button button-primary" onClick={onDismiss}>
              {t("apiClients.dismissSecret")}
            </button>
          </p>
        </div>
      </div>
    </div>
  );
}
