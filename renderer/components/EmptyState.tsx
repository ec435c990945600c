/** A calm placeholder for a view with nothing to show yet. */

/** A centred title and one line of guidance. */
export function EmptyState({ testId, title, text }: { testId: string; title: string; text: string }) {
  return (
    <div className="empty-state" data-testid={testId}>
      <h2>{title}</h2>
      <p className="muted">{text}</p>
    </div>
  );
}
