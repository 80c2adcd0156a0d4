// Warning before edits are thrown away. Forms say whether they hold unsaved
// changes with useUnsavedChangesGuard(dirty); one provider near the root
// then asks before the app moves to another page (a link, the menu, the
// browser's back and forward buttons) with a DKFDS modal, and lets the
// browser ask before a reload or closing the tab. The router allows only
// one blocker at a time, so there is one for the whole app rather than one
// per form.

import { createContext, useCallback, useContext, useEffect, useId, useMemo, useRef, useState, type ReactNode } from "react";
import { useBlocker, type BlockerFunction } from "react-router";
import { t } from "../i18n";
import { Dialog } from "./Dialog";

interface Registry {
  /** Marks the form `key` as holding unsaved changes, or not. */
  set: (key: string, dirty: boolean) => void;
}

const UnsavedChangesContext = createContext<Registry | null>(null);

/** Holds which forms have unsaved changes and asks before leaving while any has. */
export function UnsavedChangesProvider({ children }: { children: ReactNode }) {
  // A ref, not state: the router asks the blocker during a navigation that
  // may start in the same event as a save, before React renders again.
  const dirty = useRef(new Set<string>());
  const [anyDirty, setAnyDirty] = useState(false);

  const shouldBlock = useCallback<BlockerFunction>(
    ({ currentLocation, nextLocation }) =>
      // Changing only the query or state keeps the form on the page, edits and all.
      dirty.current.size > 0 && currentLocation.pathname !== nextLocation.pathname,
    [],
  );
  const blocker = useBlocker(shouldBlock);

  const registry = useMemo<Registry>(
    () => ({
      set(key, isDirty) {
        if (isDirty) dirty.current.add(key);
        else dirty.current.delete(key);
        setAnyDirty(dirty.current.size > 0);
      },
    }),
    [],
  );

  // Reload, closing the tab or leaving for another site: only the browser may ask.
  useEffect(() => {
    if (!anyDirty) return undefined;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (dirty.current.size === 0) return;
      event.preventDefault();
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => {
      window.removeEventListener("beforeunload", onBeforeUnload);
    };
  }, [anyDirty]);

  return (
    <UnsavedChangesContext value={registry}>
      {children}
      {blocker.state === "blocked" ? (
        <Dialog
          title={t("unsavedChanges.title")}
          onClose={() => {
            blocker.reset();
          }}
        >
          <p>{t("unsavedChanges.text")}</p>
          <div className="form-actions">
            <button
              type="button"
              className="button button-primary"
              data-autofocus
              onClick={() => {
                blocker.reset();
              }}
            >
              {t("unsavedChanges.stay")}
            </button>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                blocker.proceed();
              }}
            >
              {t("unsavedChanges.leave")}
            </button>
          </div>
        </Dialog>
      ) : null}
    </UnsavedChangesContext>
  );
}

export interface UnsavedChangesGuard {
  /**
   * Stops guarding at once, for the navigation that follows a successful
   * save; the form's next change guards again.
   */
  release: () => void;
}

/**
 * Guards a form's edits while `dirty` (the values differ from those it was
 * filled with): leaving the page then asks first. Call release() just before
 * moving on after a save.
 */
export function useUnsavedChangesGuard(dirty: boolean): UnsavedChangesGuard {
  const registry = useContext(UnsavedChangesContext);
  if (!registry) throw new Error("useUnsavedChangesGuard outside UnsavedChangesProvider");
  const key = useId();

  useEffect(() => {
    registry.set(key, dirty);
    return () => {
      registry.set(key, false);
    };
  }, [registry, key, dirty]);

  return useMemo(
    () => ({
      release: () => {
        registry.set(key, false);
      },
    }),
    [registry, key],
  );
}

/** Whether a form's values differ from those it started with (plain data: strings, numbers, lists). */
export function isChanged(values: unknown, initial: unknown): boolean {
  return JSON.stringify(values) !== JSON.stringify(initial);
}
