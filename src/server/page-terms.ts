/**
 * How the page names what the library marks in backquotes (`minTokens`): the CLI writes each as its
 * flag, but the page has no flags, so it writes the label of the control that sets the option,
 * else the plain name.
 */
const PAGE_LABELS: Readonly<Record<string, string>> = {
  minTokens: '"Drop checkpoints before D"',
  fix: '"Fixed or borrowed parameters"',
  resamples: '"Bootstrap resamples"',
  // No control on the page does these; the command line does.
  strict: "the command line's --strict",
  db: "the server's --db",
};

/** A library message, warning or check as the page shows it. */
export function inPageTerms(text: string): string {
  return text.replace(/`([A-Za-z]+)`/g, (_, name: string) => PAGE_LABELS[name] ?? name);
}
