// A DKFDS text field that suggests values as the user types (the WAI-ARIA
// combobox pattern with a list box): arrow keys move through the
// suggestions, Enter picks one, Escape closes the list; the text typed
// stays the user's until a suggestion is picked.

import { useEffect, useId, useRef, useState, type KeyboardEvent, type Ref } from "react";
import { t } from "../i18n";
import { describedBy, FieldFrame, type FieldProps } from "./fields";

export interface Suggestion<T> {
  key: string;
  label: string;
  /** A second line, e.g. a CVR number. */
  detail?: string | undefined;
  value: T;
}

interface ComboboxProps<T> extends FieldProps {
  value: string;
  onChange: (value: string) => void;
  /** The suggestions for `text`; called after a short pause in typing. */
  suggest: (text: string, signal: AbortSignal) => Promise<Suggestion<T>[]>;
  onPick: (picked: Suggestion<T>) => void;
  /** Read to screen readers when the list changes, e.g. "3 forslag". */
  countText: (count: number) => string;
  inputClassName?: string;
  minLength?: number;
  ref?: Ref<HTMLInputElement>;
}

const PAUSE_MS = 200;

export function Combobox<T>(props: ComboboxProps<T>) {
  const { id, value, onChange, suggest, onPick, countText, error, hint, required, inputClassName, minLength = 1, ref } = props;
  const listId = `${id}-listbox`;
  const statusId = useId();
  const [found, setItems] = useState<Suggestion<T>[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [typed, setTyped] = useState(false);
  const blurTimer = useRef<number | undefined>(undefined);

  useEffect(() => {
    if (!typed || value.trim().length < minLength) return;
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      suggest(value.trim(), controller.signal)
        .then((found) => {
          if (controller.signal.aborted) return;
          setItems(found);
          setActive(-1);
          setOpen(true);
        })
        .catch(() => {
          if (!controller.signal.aborted) setItems([]);
        });
    }, PAUSE_MS);
    return () => {
      controller.abort();
      window.clearTimeout(timer);
    };
    // `suggest` is a new function on every render; the text decides.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value, typed, minLength]);

  useEffect(
    () => () => {
      window.clearTimeout(blurTimer.current);
    },
    [],
  );

  // Suggestions for a text too short to search are not shown.
  const items = typed && value.trim().length >= minLength ? found : [];
  const expanded = open && items.length > 0;

  function pick(item: Suggestion<T>) {
    setOpen(false);
    setTyped(false);
    setItems([]);
    setActive(-1);
    onPick(item);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!expanded) {
        setOpen(true);
        setActive(items.length > 0 ? 0 : -1);
      } else {
        setActive((a) => (a + 1) % items.length);
      }
    } else if (event.key === "ArrowUp") {
      if (!expanded) return;
      event.preventDefault();
      setActive((a) => (a <= 0 ? items.length - 1 : a - 1));
    } else if (event.key === "Enter") {
      const item = items[active];
      if (expanded && item) {
        event.preventDefault();
        pick(item);
      }
    } else if (event.key === "Escape") {
      if (expanded) {
        event.preventDefault();
        setOpen(false);
        setActive(-1);
      }
    }
  }

  const activeId = expanded && active >= 0 ? `${id}-option-${String(active)}` : undefined;
  return (
    <FieldFrame {...props} className={`combobox${props.className ? ` ${props.className}` : ""}`}>
      <div className="combobox-wrapper">
        <input
          ref={ref}
          id={id}
          name={id}
          type="text"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={activeId}
          className={`form-input${inputClassName ? ` ${inputClassName}` : ""}`}
          value={value}
          autoComplete="off"
          required={required}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, hint, error)}
          onChange={(e) => {
            setTyped(true);
            onChange(e.target.value);
          }}
          onKeyDown={onKeyDown}
          onFocus={() => {
            window.clearTimeout(blurTimer.current);
          }}
          onBlur={() => {
            // Let a click on a suggestion land before the list closes.
            blurTimer.current = window.setTimeout(() => {
              setOpen(false);
            }, 150);
          }}
        />
        <ul id={listId} role="listbox" className="combobox-list" hidden={!expanded} aria-label={t("form.suggestionsFor", { label: props.label })}>
          {items.map((item, index) => (
            <li
              key={item.key}
              id={`${id}-option-${String(index)}`}
              role="option"
              aria-selected={index === active}
              className={`combobox-option${index === active ? " is-active" : ""}`}
              onMouseDown={(e) => {
                e.preventDefault();
              }}
              onClick={() => {
                pick(item);
              }}
            >
              <span className="combobox-option-label">{item.label}</span>
              {item.detail ? <span className="combobox-option-detail"> {item.detail}</span> : null}
            </li>
          ))}
        </ul>
        <span id={statusId} className="sr-only" role="status" aria-live="polite">
          {open && typed ? countText(items.length) : ""}
        </span>
      </div>
    </FieldFrame>
  );
}
