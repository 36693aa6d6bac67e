// The page's stylesheet and script: constants, written into every page as is
// (no CDN, nothing computed per request, nothing interpolated into the script:
// its settings travel as escaped data- attributes on <body>).

export const PAGE_CSS = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;background:#f4f5f7}
a{color:#2c6eb5}
header.navbar{display:flex;justify-content:space-between;align-items:center;padding:10px 24px;background:#2c2c2c;color:#fff}
header.navbar a{color:#fff;text-decoration:none}
header .brand{font-size:18px;font-weight:600}
header .user{display:flex;gap:12px;align-items:center}
header .user form{margin:0}
header .user button{background:none;border:1px solid #888;color:#fff;border-radius:3px;padding:2px 8px;cursor:pointer}
main{max-width:1100px;margin:0 auto;padding:16px 24px 48px}
.page-header{display:flex;justify-content:space-between;align-items:flex-start;gap:16px;flex-wrap:wrap}
h1{font-size:26px;margin:8px 0}
h2{font-size:18px;margin:24px 0 8px}
.toolbar{display:flex;gap:8px;align-items:center;flex-wrap:wrap}
.toolbar form{margin:0}
.allowed{color:#555}
button,.button{font:inherit;padding:5px 12px;border:1px solid #2c6eb5;border-radius:3px;background:#2c6eb5;color:#fff;cursor:pointer;text-decoration:none}
button.danger{background:#c9302c;border-color:#c9302c}
button.secondary,.button.secondary{background:#fff;color:#2c6eb5}
.description{color:#444;margin:4px 0 12px}
pre{background:#fff;border:1px solid #ddd;border-radius:4px;padding:12px;overflow:auto;white-space:pre-wrap;word-break:break-word;font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.request-info pre{margin-bottom:8px}
.meta{color:#777}
.meta b{color:#444}
.forms{display:grid;grid-template-columns:1fr;gap:16px}
.panel{background:#fff;border:1px solid #ddd;border-radius:4px;padding:16px}
.panel h2{margin-top:0}
.field{margin:0 0 12px}
.field label{display:block;font-weight:600;margin-bottom:3px}
.field input[type=text],.field input[type=number],.field input[type=email],.field input[type=url],.field input[type=date],.field input[type=datetime-local],.field input[type=time],.field input[type=password],.field select,.field textarea{width:100%;padding:6px 8px;border:1px solid #bbb;border-radius:3px;font:inherit}
.field textarea{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.field.has-error input,.field.has-error select,.field.has-error textarea{border-color:#c9302c}
.errorlist{margin:4px 0 0;padding:0;list-style:none;color:#c9302c}
.help{margin:2px 0 0;color:#666;font-size:12px}
.form-actions{display:flex;gap:8px;justify-content:flex-end}
.narrow{max-width:400px;margin:32px auto 0}
.panel>.errorlist{margin:0 0 12px}
`;

/**
 * Submits the page's forms as DRF's ajax-form.js does: the HTML form becomes a
 * typed JSON body, the raw form is sent as typed, the method comes from the
 * clicked button (PUT/PATCH/DELETE/OPTIONS need no `_method` trick), the CSRF
 * token from the cookie goes in the header, and the HTML answer replaces the page.
 */
export const PAGE_SCRIPT = `
(function () {
  "use strict";
  var data = document.body.dataset;
  function cookie(name) {
    var parts = document.cookie ? document.cookie.split("; ") : [];
    for (var i = 0; i < parts.length; i++) {
      if (parts[i].indexOf(name + "=") === 0) return decodeURIComponent(parts[i].slice(name.length + 1));
    }
    return null;
  }
  var token = cookie(data.csrfCookie || "csrftoken");
  document.querySelectorAll("input[data-csrf-cookie]").forEach(function (input) { input.value = token || ""; });
  function encode(el, out) {
    var kind = el.dataset.encoding, name = el.name, nullable = el.dataset.null === "true";
    var empty = function () { if (nullable) out[name] = null; };
    if (kind === "boolean") { out[name] = el.checked; return; }
    if (kind === "choices") {
      out[name] = Array.prototype.map.call(el.selectedOptions, function (o) { return JSON.parse(o.value); });
      return;
    }
    var value = el.value;
    if (kind === "choice") { if (value === "") empty(); else out[name] = JSON.parse(value); return; }
    if (kind === "string") {
      if (value === "" && /^(date|datetime-local|time)$/.test(el.type)) empty(); else out[name] = value;
      return;
    }
    if (value === "") { empty(); return; }
    if (kind === "integer") { out[name] = /^-?\\d{1,15}$/.test(value) ? Number(value) : value; return; }
    if (kind === "number") { out[name] = isFinite(Number(value)) ? Number(value) : value; return; }
    if (kind === "json") { try { out[name] = JSON.parse(value); } catch (e) { out[name] = value; } return; }
    out[name] = value; // decimal: the text as typed, never a float
  }
  function replacePage(response) {
    if (response.status === 204) { location.assign(new URL("..", location.href).href); return; }
    return response.text().then(function (text) {
      var html = (response.headers.get("content-type") || "").indexOf("text/html") === 0;
      document.open();
      document.write(html ? text : "<pre>" + text.replace(/&/g, "&amp;").replace(/</g, "&lt;") + "</pre>");
      document.close();
    });
  }
  function send(method, contentType, body) {
    var headers = { Accept: "text/html" };
    if (contentType) headers["Content-Type"] = contentType;
    var csrf = cookie(data.csrfCookie || "csrftoken");
    if (csrf) headers[data.csrfHeader || "X-CSRFToken"] = csrf;
    return fetch(location.href, { method: method, headers: headers, body: body, credentials: "same-origin" })
      .then(replacePage);
  }
  document.addEventListener("submit", function (event) {
    var form = event.target, kind = form.dataset && form.dataset.form;
    if (!kind) return;
    event.preventDefault();
    var method = (event.submitter && event.submitter.value) || "POST";
    if (kind === "html") {
      var out = {};
      form.querySelectorAll("[data-encoding]").forEach(function (el) { encode(el, out); });
      send(method, "application/json", JSON.stringify(out));
    } else if (kind === "raw") {
      send(method, form.elements._content_type.value, form.elements._content.value);
    } else if (kind === "delete") {
      if (window.confirm("Are you sure you want to delete this?")) send("DELETE", null, null);
    } else if (kind === "options") {
      send("OPTIONS", null, null);
    }
  });
})();
`;
