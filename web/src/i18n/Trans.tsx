import { Fragment, type ReactNode } from "react";

/**
 * Renders a translated text whose `{name}` placeholders stand for elements
 * (links, emphasis), so word order stays in the catalogue.
 */
export function Trans({ text, slots }: { text: string; slots: Readonly<Record<string, ReactNode>> }) {
  const parts = text.split(/(\{\w+\})/);
  return (
    <>
      {parts.map((part, i) => {
        const name = /^\{(\w+)\}$/.exec(part)?.[1];
        const slot = name === undefined ? undefined : slots[name];
        return <Fragment key={i}>{slot ?? part}</Fragment>;
      })}
    </>
  );
}
