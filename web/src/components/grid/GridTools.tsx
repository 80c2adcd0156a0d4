// The tools above a list's table: which columns show, compact rows, and
// the user's saved views. Columns and density are part of the address, so
// each change is a new address the browser remembers and a link can carry.

import { useState } from "react";
import { t } from "../../i18n";
import { Icon } from "../Icon";
import { Popover } from "./Popover";
import { orderColumns, type ColumnSet, type GridView } from "./view";

export interface ColumnLabel {
  key: string;
  label: string;
}

export function ColumnChooser({
  idPrefix,
  set,
  labels,
  view,
  onChange,
}: {
  idPrefix: string;
  set: ColumnSet;
  labels: readonly ColumnLabel[];
  view: GridView;
  /** Changes the view as it stands when the change is made (the address may be ahead of this render). */
  onChange: (change: (view: GridView) => GridView) => void;
}) {
  const [open, setOpen] = useState(false);
  // The boxes show a change at once; the address, and with it `view`, follows.
  const key = view.columns.join(",");
  const [synced, setSynced] = useState(key);
  const [checked, setChecked] = useState<readonly string[]>(view.columns);
  if (synced !== key) {
    setSynced(key);
    setChecked(view.columns);
  }
  const shown = new Set(checked);
  return (
    <Popover
      className="column-chooser"
      icon="view-in-list"
      label={t("grid.columnsCount", { shown: view.columns.length, all: set.all.length })}
      open={open}
      onOpenChange={setOpen}
    >
      <fieldset>
        <legend className="form-label">{t("grid.columnsLegend")}</legend>
        <ul className="nobullet-list column-chooser-list">
          {labels.map(({ key, label }) => {
            const fixed = set.fixed.includes(key);
            const id = `${idPrefix}-col-${key}`;
            return (
              <li key={key} className="form-group-checkbox">
                <input
                  className="form-checkbox"
                  type="checkbox"
                  id={id}
                  name={key}
                  checked={shown.has(key)}
                  disabled={fixed}
                  onChange={(e) => {
                    const on = e.target.checked;
                    const toggle = (columns: readonly string[]) =>
                      orderColumns(set, on ? [...columns, key] : columns.filter((c) => c !== key));
                    setChecked(toggle);
                    onChange((current) => ({ ...current, columns: toggle(current.columns) }));
                  }}
                />
                <label className="form-label" htmlFor={id}>
                  {label}
                  {fixed ? <span className="column-chooser-fixed"> ({t("grid.columnsAlways")})</span> : null}
                </label>
              </li>
            );
          })}
        </ul>
      </fieldset>
      <button
        type="button"
        className="button button-tertiary"
        onClick={() => {
          setChecked(orderColumns(set, set.defaults));
          onChange((current) => ({ ...current, columns: orderColumns(set, set.defaults) }));
        }}
      >
        {t("grid.columnsReset")}
      </button>
    </Popover>
  );
}

export function DensityToggle({
  view,
  onChange,
}: {
  view: GridView;
  onChange: (change: (view: GridView) => GridView) => void;
}) {
  const compact = view.density === "compact";
  return (
    <button
      type="button"
      className={`button button-secondary density-toggle${compact ? " is-on" : ""}`}
      aria-pressed={compact}
      onClick={() => {
        onChange((current) => ({ ...current, density: compact ? "normal" : "compact" }));
      }}
    >
      <Icon name={compact ? "check" : "format-list-bulleted"} />
      {t("grid.compact")}
    </button>
  );
}
