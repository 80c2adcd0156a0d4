import sprite from "@dkfds/img/all-svg-icons.svg?url";

/** A DKFDS icon from the design system's sprite; decorative unless labelled by its context. */
export function Icon({ name, className }: { name: string; className?: string }) {
  return (
    <svg className={className ? `icon-svg ${className}` : "icon-svg"} focusable="false" aria-hidden="true">
      <use href={`${sprite}#${name}`} />
    </svg>
  );
}
