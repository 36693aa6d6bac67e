// Form descriptors → HTML. Inputs carry `data-encoding` so the page's script
// rebuilds a typed JSON body (decimals stay strings, integers become numbers).
// Forms are `novalidate`: the server's validation is the one shown.
import { escapeHtml } from "./escape.js";
import type { FormField, FormOption } from "./form-fields.js";

function textValue(field: FormField): string {
  const value = field.value;
  if (value === undefined || value === null) return "";
  if (field.encoding === "json") return typeof value === "string" ? value : JSON.stringify(value, null, 2);
  if (field.kind === "datetime-local" && typeof value === "string") {
    // The input takes local "YYYY-MM-DDTHH:MM[:SS]"; the API's values are UTC with a Z.
    return /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d)?/.exec(value)?.[0] ?? value;
  }
  return typeof value === "string" ? value : String(value);
}

function isSelected(field: FormField, option: FormOption): boolean {
  const value = field.value;
  if (value === undefined || value === null) return false;
  // A submitted "3" selects the option whose value is 3.
  const plain = String(JSON.parse(option.json));
  const matches = (v: unknown) => JSON.stringify(v) === option.json || String(v) === plain;
  return Array.isArray(value) && field.multiple ? value.some(matches) : matches(value);
}

function inputHtml(field: FormField, id: string): string {
  const common = `id="${id}" name="${escapeHtml(field.name)}" data-encoding="${field.encoding}"${
    field.required ? ' data-required="true"' : ""
  }${field.allowNull ? ' data-null="true"' : ""}`;
  switch (field.kind) {
    case "checkbox":
      return `<input type="checkbox" ${common}${field.value === true || field.value === "true" ? " checked" : ""}>`;
    case "textarea":
      return `<textarea ${common} rows="${field.encoding === "json" ? 4 : 3}">${escapeHtml(textValue(field))}</textarea>`;
    case "select": {
      const empty = field.multiple ? "" : '<option value="">---------</option>';
      const options = (field.options ?? [])
        .map(
          (o) =>
            `<option value="${escapeHtml(o.json)}"${isSelected(field, o) ? " selected" : ""}>${escapeHtml(o.label)}</option>`,
        )
        .join("");
      return `<select ${common}${field.multiple ? " multiple" : ""}>${empty}${options}</select>`;
    }
    default: {
      let extra = "";
      if (field.kind === "number") {
        extra += field.encoding === "integer" ? ' step="1"' : ' step="any"';
        if (field.min !== undefined) extra += ` min="${field.min}"`;
        if (field.max !== undefined) extra += ` max="${field.max}"`;
      }
      if (field.maxLength !== undefined) extra += ` maxlength="${field.maxLength}"`;
      if (field.kind === "datetime-local") extra += ' step="1"';
      return `<input type="${field.kind}" ${common} value="${escapeHtml(textValue(field))}"${extra}>`;
    }
  }
}

function errorList(errors: readonly string[]): string {
  if (errors.length === 0) return "";
  return `<ul class="errorlist">${errors.map((e) => `<li>${escapeHtml(e)}</li>`).join("")}</ul>`;
}

/** One field's row: label, input, help text, and its errors right under it. */
function fieldHtml(field: FormField, formId: string): string {
  const id = `${formId}-${field.name}`;
  const label = `<label for="${escapeHtml(id)}">${escapeHtml(field.label)}${field.required ? " *" : ""}</label>`;
  const help = field.helpText ? `<p class="help">${escapeHtml(field.helpText)}</p>` : "";
  const cls = field.errors.length > 0 ? "field has-error" : "field";
  return `<div class="${cls}" data-field="${escapeHtml(field.name)}">${label}${inputHtml(field, escapeHtml(id))}${help}${errorList(field.errors)}</div>`;
}

export interface HtmlForm {
  /** "POST" for a list, "PUT" (with a PATCH button) for a detail. */
  id: string;
  methods: readonly string[];
  fields: FormField[];
  /** Errors not tied to a field (`non_field_errors`, `detail`). */
  formErrors: string[];
}

export function htmlFormHtml(form: HtmlForm): string {
  const buttons = form.methods
    .map((m) => `<button type="submit" name="_method" value="${escapeHtml(m)}">${escapeHtml(m)}</button>`)
    .join(" ");
  const fields = form.fields.map((f) => fieldHtml(f, form.id)).join("\n");
  return `<form class="api-form" id="${escapeHtml(form.id)}-form" data-form="html" novalidate>
${errorList(form.formErrors)}${fields}
<div class="form-actions">${buttons}</div>
</form>`;
}

export interface RawForm {
  id: string;
  methods: readonly string[];
  /** The textarea's initial JSON. */
  content: string;
  mediaTypes: readonly string[];
}

/** DRF's raw data form: a media type and a body, sent as is. */
export function rawFormHtml(form: RawForm): string {
  const buttons = form.methods
    .map((m) => `<button type="submit" name="_method" value="${escapeHtml(m)}">${escapeHtml(m)}</button>`)
    .join(" ");
  const types = form.mediaTypes.map((t) => `<option>${escapeHtml(t)}</option>`).join("");
  return `<form class="raw-form" id="${escapeHtml(form.id)}-raw" data-form="raw" novalidate>
<div class="field"><label for="${escapeHtml(form.id)}-media-type">Media type</label><select id="${escapeHtml(form.id)}-media-type" name="_content_type">${types}</select></div>
<div class="field"><label for="${escapeHtml(form.id)}-content">Content</label><textarea id="${escapeHtml(form.id)}-content" name="_content" rows="10">${escapeHtml(form.content)}</textarea></div>
<div class="form-actions">${buttons}</div>
</form>`;
}
