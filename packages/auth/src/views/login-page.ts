// The HTML of the browser login page (DRF's rest_framework/login.html):
// inline style, every value escaped, the CSRF token in a hidden field.
const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#x27;",
};

export function escapeHtml(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;background:#f4f5f7}
header{padding:10px 24px;background:#2c2c2c;color:#fff;font-size:18px;font-weight:600}
main{max-width:380px;margin:48px auto;background:#fff;border:1px solid #ddd;border-radius:4px;padding:24px}
h1{font-size:22px;margin:0 0 16px}
label{display:block;font-weight:600;margin:0 0 3px}
input[type=text],input[type=password]{width:100%;padding:7px 9px;border:1px solid #bbb;border-radius:3px;font:inherit;margin-bottom:12px}
button{font:inherit;padding:6px 16px;border:1px solid #2c6eb5;border-radius:3px;background:#2c6eb5;color:#fff;cursor:pointer}
.errorlist{margin:0 0 12px;padding:8px 12px;list-style:none;color:#a94442;background:#f2dede;border-radius:3px}
`;

export interface LoginPage {
  title: string;
  action: string;
  csrfToken: string;
  username: string;
  next: string;
  errors: readonly string[];
}

export function loginPageHtml(page: LoginPage): string {
  const errors =
    page.errors.length > 0
      ? `<ul class="errorlist">${page.errors.map((e) => `<li>${escapeHtml(e)}</li>`).join("")}</ul>`
      : "";
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="robots" content="NONE,NOARCHIVE">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Log in – ${escapeHtml(page.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>${escapeHtml(page.title)}</header>
<main>
<h1>Log in</h1>
${errors}<form method="post" action="${escapeHtml(page.action)}" id="login-form">
<input type="hidden" name="csrfmiddlewaretoken" value="${escapeHtml(page.csrfToken)}">
<input type="hidden" name="next" value="${escapeHtml(page.next)}">
<label for="id_username">Username</label>
<input type="text" name="username" id="id_username" value="${escapeHtml(page.username)}" autocomplete="username" autofocus required>
<label for="id_password">Password</label>
<input type="password" name="password" id="id_password" autocomplete="current-password" required>
<button type="submit">Log in</button>
</form>
</main>
</body>
</html>
`;
}

/** Django's 403 page for a failed CSRF check on a form post. */
export function csrfFailureHtml(reason: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>403 Forbidden</title><style>${CSS}</style></head>
<body><main><h1>Forbidden (403)</h1><p>CSRF verification failed. Request aborted.</p><p>${escapeHtml(reason)}</p></main></body>
</html>
`;
}
