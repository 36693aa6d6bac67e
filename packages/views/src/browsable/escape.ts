// Every value the browsable API (and @x/auth's login pages) writes into HTML
// goes through here: text and attribute values alike (quotes included), so
// data can never become markup.
const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#x27;",
};

/** Django's `escape()`: `& < > " '` as entities; `null`/`undefined` become "". */
export function escapeHtml(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}
