// The words of one entry in an error summary. An entry names its field, so
// that "Skriv et beløb" read out of context still says which amount; a
// message that already names the field ("Udfyld titel.") stands alone.

import { t } from "../i18n";

export function summaryText(label: string | undefined, message: string): string {
  const name = label?.trim() ?? "";
  if (name === "" || message.toLocaleLowerCase("da").includes(name.toLocaleLowerCase("da"))) return message;
  return t("form.summaryItem", { label: name, message });
}
