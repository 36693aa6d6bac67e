// The HTML of the browser login pages (DRF's rest_framework/login.html, which
// extends the browsable API's base.html): @x/views' page shell, every value
// escaped, the CSRF token in a hidden field.
import { basePageHtml, escapeHtml } from "@x/views";

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
      ? `<ul class="errorlist">${page.errors.map((e) => `<li>${escapeHtml(e)}</li>`).join("")}</ul>\n`
      : "";
  return basePageHtml({
    brand: page.title,
    title: "Log in",
    contentHtml: `<div class="panel narrow">
<h1>Log in</h1>
${errors}<form method="post" action="${escapeHtml(page.action)}" id="login-form">
<input type="hidden" name="csrfmiddlewaretoken" value="${escapeHtml(page.csrfToken)}">
<input type="hidden" name="next" value="${escapeHtml(page.next)}">
<div class="field"><label for="id_username">Username</label>
<input type="text" name="username" id="id_username" value="${escapeHtml(page.username)}" autocomplete="username" autofocus required></div>
<div class="field"><label for="id_password">Password</label>
<input type="password" name="password" id="id_password" autocomplete="current-password" required></div>
<div class="form-actions"><button type="submit">Log in</button></div>
</form>
</div>`,
  });
}

/** The page LogoutView shows when there is nowhere to redirect to (Django's logged_out.html). */
export function loggedOutPageHtml(title: string, loginUrl: string | null): string {
  const again = loginUrl ? `\n<p><a href="${escapeHtml(loginUrl)}">Log in again</a></p>` : "";
  return basePageHtml({
    brand: title,
    title: "Logged out",
    contentHtml: `<div class="panel narrow">
<h1>Logged out</h1>${again}
</div>`,
  });
}

/** Django's 403 page for a failed CSRF check on a form post. */
export function csrfFailureHtml(title: string, reason: string): string {
  return basePageHtml({
    brand: title,
    title: "403 Forbidden",
    contentHtml: `<div class="panel narrow">
<h1>Forbidden (403)</h1>
<p>CSRF verification failed. Request aborted.</p>
<p>${escapeHtml(reason)}</p>
</div>`,
  });
}
