import type { ReactNode, Ref } from "react";
import { t } from "../i18n";
import { Icon } from "./Icon";

type Variant = "info" | "success" | "warning" | "error";

interface AlertProps {
  variant: Variant;
  heading?: string;
  children?: ReactNode;
  /** Announce politely (status) even for errors and warnings. */
  polite?: boolean;
  className?: string;
  ref?: Ref<HTMLDivElement>;
}

/** A DKFDS alert. Errors and warnings are announced at once; others politely. */
export function Alert({ variant, heading, children, polite, className, ref }: AlertProps) {
  const role = polite || variant === "info" || variant === "success" ? "status" : "alert";
  return (
    <div ref={ref} tabIndex={-1} role={role} className={`alert alert-${variant}${className ? ` ${className}` : ""}`}>
      <Icon name={variant} className="alert-icon" />
      <div className="alert-body">
        <span className="sr-only">{t(`alert.${variant}`)}: </span>
        {heading ? <h2 className="alert-heading h3">{heading}</h2> : null}
        {children ? <div className="alert-text">{children}</div> : null}
      </div>
    </div>
  );
}
