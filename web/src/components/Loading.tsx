/** A DKFDS spinner with a text that screen readers announce. */
export function Loading({ text }: { text: string }) {
  return (
    <div className="loading-row">
      <div className="spinner" aria-hidden="true" />
      <div className="spinner-status" role="status">
        {text}
      </div>
    </div>
  );
}
