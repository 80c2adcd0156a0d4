// Choosing a CPV code by its digits or its Danish text: a DKFDS text field
// that works as a combobox (WAI-ARIA pattern, list autocomplete). Typing
// asks the server after a short pause; ↓/↑ move through the suggestions,
// Enter chooses, Escape closes the list (and a second Escape clears the
// text); the number of suggestions is announced.

import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import type { Outcome } from "../../api/problem";
import { failureMessage } from "../../api/problem";
import { describedBy, FieldFrame } from "../../components/fields";
import { t } from "../../i18n";
import { cpvQuery, cpvText, DEBOUNCE_MS, moveActive, type CpvOption } from "./cpv";

export type CpvSearch = (query: string, signal: AbortSignal) => Promise<Outcome<CpvOption[]>>;

interface CpvPickerProps {
  id: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  value: CpvOption | null;
  onChange: (value: CpvOption | null) => void;
  search: CpvSearch;
}

type Results =
  | { state: "idle" }
  | { state: "searching"; query: string }
  | { state: "done"; query: string; options: CpvOption[] }
  | { state: "failed"; message: string };

export function CpvPicker({ id, label, hint, error, value, onChange, search }: CpvPickerProps) {
  const listId = `${id}-list`;
  const statusId = useId();
  const [text, setText] = useState(() => cpvText(value));
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [results, setResults] = useState<Results>({ state: "idle" });
  const searchRef = useRef(search);
  const shownValue = useRef(value);

  useEffect(() => {
    searchRef.current = search;
  }, [search]);

  // A value set from outside (a form reset, a reload) shows in the field.
  useEffect(() => {
    if (shownValue.current?.code !== value?.code) {
      shownValue.current = value;
      setText(cpvText(value));
    }
  }, [value]);

  const query = open ? cpvQuery(text) : null;

  useEffect(() => {
    if (query === null) return undefined;
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      setResults({ state: "searching", query });
      searchRef
        .current(query, controller.signal)
        .then((outcome) => {
          setActive(-1);
          setResults(
            outcome.ok ? { state: "done", query, options: outcome.data } : { state: "failed", message: failureMessage(outcome) },
          );
        })
        .catch(() => undefined);
    }, DEBOUNCE_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [query]);

  const options = results.state === "done" && results.query === query ? results.options : [];
  const expanded = open && query !== null && options.length > 0;

  function choose(option: CpvOption) {
    shownValue.current = option;
    onChange(option);
    setText(cpvText(option));
    setOpen(false);
    setActive(-1);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "Escape") {
      if (open && options.length > 0) {
        setOpen(false);
      } else {
        setText("");
        if (value) onChange(null);
        shownValue.current = null;
      }
      event.preventDefault();
      return;
    }
    if (event.key === "Enter") {
      const option = expanded ? options[active] : undefined;
      // Enter chooses a highlighted suggestion; it never sends the form half-chosen.
      if (option || expanded) event.preventDefault();
      if (option) choose(option);
      return;
    }
    if ((event.key === "ArrowDown" || event.key === "ArrowUp") && !open) {
      setOpen(true);
      event.preventDefault();
      return;
    }
    // Home and End move the caret in the text unless the list is open.
    if (!expanded && (event.key === "Home" || event.key === "End")) return;
    const next = moveActive(active, event.key, options.length);
    if (next === undefined) return;
    event.preventDefault();
    setActive(next);
    document.getElementById(`${listId}-${String(next)}`)?.scrollIntoView({ block: "nearest" });
  }

  let status = "";
  if (open && query !== null) {
    if (results.state === "searching") status = t("cpvPicker.searching");
    else if (results.state === "failed") status = results.message;
    else if (results.state === "done" && results.query === query)
      status =
        options.length === 0
          ? t("cpvPicker.none")
          : options.length === 1
            ? t("cpvPicker.countOne")
            : t("cpvPicker.count", { count: options.length });
  }
  const fullHint = hint ? `${hint} ${t("cpvPicker.hint")}` : t("cpvPicker.hint");

  return (
    <FieldFrame id={id} label={label} hint={fullHint} error={error} className="cpv-picker">
      <div className="cpv-picker-box">
        <input
          id={id}
          name={id}
          type="text"
          className="form-input input-width-xl"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded && active >= 0 ? `${listId}-${String(active)}` : undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={[describedBy(id, fullHint, error), statusId].filter(Boolean).join(" ")}
          autoComplete="off"
          spellCheck={false}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
            if (value && e.target.value !== cpvText(value)) {
              shownValue.current = null;
              onChange(null);
            }
          }}
          onKeyDown={onKeyDown}
          onBlur={() => {
            setOpen(false);
          }}
        />
        <ul id={listId} role="listbox" aria-label={label} className="cpv-picker-list" hidden={!expanded}>
          {options.map((option, i) => (
            <li
              key={option.code}
              id={`${listId}-${String(i)}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? "is-active" : undefined}
              // Chosen before the input's blur closes the list.
              onMouseDown={(e) => {
                e.preventDefault();
                choose(option);
              }}
            >
              <span className="cpv-code">{option.code}</span> {option.label}
            </li>
          ))}
        </ul>
      </div>
      <span id={statusId} className="sr-only" role="status">
        {status}
      </span>
      {open && results.state === "failed" ? <span className="form-hint">{results.message}</span> : null}
    </FieldFrame>
  );
}
