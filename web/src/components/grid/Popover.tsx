// A button that opens a panel below it (DKFDS overflow menu look): the
// panel closes on Escape (focus back on the button), on a click or focus
// outside it, and by its owner.

import { useEffect, useId, useRef, type ReactNode } from "react";
import { Icon } from "../Icon";

export function Popover({
  label,
  icon,
  open,
  onOpenChange,
  className,
  children,
}: {
  label: string;
  icon?: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  className: string;
  children: ReactNode;
}) {
  const wrapper = useRef<HTMLDivElement>(null);
  const panelId = useId();
  const change = useRef(onOpenChange);
  useEffect(() => {
    change.current = onOpenChange;
  }, [onOpenChange]);

  useEffect(() => {
    if (!open) return undefined;
    const onOutside = (event: Event) => {
      // A modal dialog opened from the panel is not "outside".
      const target = event.target as Node;
      if (!wrapper.current?.contains(target) && !(target instanceof Element && target.closest("dialog"))) {
        change.current(false);
      }
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape" && !document.querySelector("dialog[open]")) {
        change.current(false);
        wrapper.current?.querySelector<HTMLButtonElement>("button")?.focus();
      }
    };
    document.addEventListener("pointerdown", onOutside);
    document.addEventListener("focusin", onOutside);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onOutside);
      document.removeEventListener("focusin", onOutside);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  return (
    <div className={`grid-popover ${className}`} ref={wrapper}>
      <button
        type="button"
        className="button button-secondary grid-popover-button"
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        onClick={() => {
          onOpenChange(!open);
        }}
      >
        {icon ? <Icon name={icon} /> : null}
        <span>{label}</span>
        <Icon name={open ? "chevron-up" : "chevron-down"} />
      </button>
      {/* Mounted only while open, so that its fields do not stand beside the page's own while hidden. */}
      {open ? (
        <div className="grid-popover-panel" id={panelId}>
          {children}
        </div>
      ) : null}
    </div>
  );
}
