// Copying a text for the user: the asynchronous Clipboard API where the
// browser allows it (secure pages), else the older copy command on the
// selected field; the caller tells the user when neither worked.

export interface ClipboardEnvironment {
  clipboard?: { writeText: (text: string) => Promise<void> } | undefined;
  /** Selects the field holding the text and runs the copy command; true when it copied. */
  copySelection?: () => boolean;
}

export async function copyText(text: string, env: ClipboardEnvironment): Promise<boolean> {
  if (env.clipboard) {
    try {
      await env.clipboard.writeText(text);
      return true;
    } catch {
      // Refused (no permission, page not focused): try the fallback.
    }
  }
  try {
    return env.copySelection?.() ?? false;
  } catch {
    return false;
  }
}

/** The fallback for copyText: selects the field's content and copies it. */
export function selectAndCopy(field: HTMLInputElement | null): () => boolean {
  return () => {
    if (!field) return false;
    field.focus();
    field.select();
    // The deprecated command is the only way left when the Clipboard API is missing or refused.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    return document.execCommand("copy");
  };
}
