// The one way pages read from the API: a request keyed by what it asks for,
// cancelled when the key changes or the page goes away.

import { useEffect, useState } from "react";
import type { Outcome } from "./problem";

interface Keyed<T> {
  key: string;
  value: T;
}

export interface Loaded<T> {
  /** The answer for the current key; null while it is on its way. */
  current: Outcome<T> | null;
  /** The last answer for any key, so a table can stay while the next page loads. */
  previous: Outcome<T> | null;
  /** The key `previous` answered. */
  previousKey: string | null;
}

/** Runs `load` whenever `key` changes. */
export function useLoad<T>(key: string, load: (signal: AbortSignal) => Promise<Outcome<T>>): Loaded<T> {
  const [state, setState] = useState<Keyed<Outcome<T>> | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal)
      .then((value) => {
        setState({ key, value });
      })
      .catch(() => undefined);
    return () => {
      controller.abort();
    };
    // `load` is rebuilt each render; the key says when the request changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return {
    current: state?.key === key ? state.value : null,
    previous: state?.value ?? null,
    previousKey: state?.key ?? null,
  };
}
