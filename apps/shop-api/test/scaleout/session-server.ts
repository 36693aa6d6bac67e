// A test app for the scale-out session test: the shop-api exactly as
// `manage runserver` builds it (same environment, same settings), plus the auth
// package's session login and logout views, which the shop-api itself does not
// route. Run as its own process: `tsx --conditions=source test/scaleout/session-server.ts`.
import { cacheSessionStore, SessionLoginView, SessionLogoutView, sessionEngine, userService } from "@x/auth";
import { createApp } from "../../src/app.js";
import { serveApp } from "../../src/server.js";
import { readConfig } from "../../src/settings/env.js";
import { User } from "../../src/users/models.js";

const config = readConfig();
const shop = createApp(config);
// The engine createApp gives SessionAuthentication: the shared cache, the same users and SECRET_KEY.
const sessions = sessionEngine({
  store: cacheSessionStore(shop.cache),
  users: userService(User),
  secretKey: config.secretKey,
});
// Under /api/v1/ so the app's API settings (parsers, throttles) apply, as to every other view.
shop.app.post("/api/v1/auth/session/login/", SessionLoginView.asView({ sessions }));
shop.app.post("/api/v1/auth/session/logout/", SessionLogoutView.asView({ sessions }));

await serveApp(shop.app, {
  port: 0,
  onListen: (port) =>
    process.stdout.write(
      `session test app listening on http://localhost:${port}/api/v1/ (pid ${process.pid})\n`,
    ),
  onClose: () => shop.close(),
});
