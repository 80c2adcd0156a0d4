import { useEffect, useId, useRef, type ReactNode } from "react";
import { t } from "../i18n";
import { Icon } from "./Icon";

interface DialogProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
}

/**
 * A DKFDS modal on the native <dialog> element, which keeps focus inside,
 * makes the page behind it inert and closes on Escape. Focus starts on the
 * element marked data-autofocus, else on the title.
 */
export function Dialog({ title, onClose, children, footer }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const headingId = useId();
  const onCloseRef = useRef(onClose);

  useEffect(() => {
    onCloseRef.current = onClose;
  }, [onClose]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return undefined;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    const target = dialog.querySelector<HTMLElement>("[data-autofocus]") ?? dialog.querySelector<HTMLElement>("h2");
    target?.focus();
    const onCancel = (event: Event) => {
      event.preventDefault();
      onCloseRef.current();
    };
    dialog.addEventListener("cancel", onCancel);
    return () => {
      dialog.removeEventListener("cancel", onCancel);
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog ref={ref} className="fds-modal app-dialog" aria-labelledby={headingId}>
      <div className="modal-content">
        <div className="modal-header">
          <h2 className="modal-title" id={headingId} tabIndex={-1}>
            {title}
          </h2>
          <button type="button" className="modal-close function-link" onClick={onClose}>
            <Icon name="close" />
            {t("dialog.close")}
          </button>
        </div>
        <div className="modal-body">{children}</div>
        {footer ? <div className="modal-footer">{footer}</div> : null}
      </div>
    </dialog>
  );
}
