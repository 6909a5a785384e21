import { test, expect, type Page } from "@playwright/test";
import { latestEmailTo, signIn } from "./helpers";

// Runs on the phone and desktop projects against one shared database, after auth.spec.ts: the
// history may hold any number of emails, so the tests only rely on the newest entry.
//
// The email is triggered for Ana, not Ben: a client gets at most 3 reset links an hour, and
// auth.spec.ts already asks for one for Ben in each project; one more per project here would
// make the fourth request silently send nothing.

/** Signed out, asks for a reset link through the forgotten-password form; returns the link. */
async function requestResetLink(page: Page, email: string): Promise<string> {
  const started = Date.now() - 1000;
  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send link" }).click();
  await expect(page.getByRole("status")).toContainText("If an account exists for that address");
  const mail = await latestEmailTo(email, started);
  const link = mail.match(/https?:\/\/\S+\/password\/reset\/[A-Za-z0-9_-]+/)?.[0];
  expect(link, mail).toBeTruthy();
  return link!;
}

/** Account, through the main navigation (behind the menu disclosure on a phone). */
async function openAccount(page: Page, labels: { nav: string; account: string }) {
  const summary = page.locator("details.nav-menu > summary");
  if (await summary.isVisible()) await summary.click();
  await page.getByRole("navigation", { name: labels.nav }).getByRole("link", { name: labels.account, exact: true }).click();
  await expect(page).toHaveURL(/\/account$/);
  // After an in-app navigation the disclosure may still be open over the page: close it.
  const menu = page.locator("details.nav-menu");
  if ((await summary.isVisible()) && (await menu.getAttribute("open")) !== null) await summary.click();
  await expect(page.getByRole("heading", { level: 1, name: labels.account })).toBeVisible();
}

test("a client finds the password-reset email in the history and reads it", async ({ page }) => {
  const link = await requestResetLink(page, "ana@example.com");

  await signIn(page, "ana@example.com");
  await expect(page.getByRole("heading", { level: 1, name: "Hola, Ana" })).toBeVisible();
  await openAccount(page, { nav: "Principal", account: "Cuenta" });
  await page.getByRole("link", { name: /^Historial de correos/ }).click();
  await expect(page).toHaveURL(/\/account\/emails$/);
  await expect(page.getByRole("heading", { level: 1, name: "Historial de correos" })).toBeVisible();

  const newest = page.getByRole("list", { name: "Historial de correos" }).getByRole("listitem").first();
  await expect(newest).toContainText("Restablece tu contraseña de Portico");
  await expect(newest.locator(".badge")).toHaveText(/Enviado|Guardado aquí \(sin enviar\)/);
  await newest.getByRole("link").click();

  await expect(page).toHaveURL(/\/account\/emails\/\d+$/);
  await expect(page.getByRole("heading", { level: 1, name: "Restablece tu contraseña de Portico" })).toBeVisible();
  const body = page.locator("pre.email-body");
  await expect(body).toContainText("Hola Ana");
  // The very email that was sent: same single-use link.
  await expect(body).toContainText(link);
  // The text wraps inside the page instead of widening it (phones).
  const overflows = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  expect(overflows).toBe(false);

  await page.getByRole("link", { name: "Volver al historial de correos" }).click();
  await expect(page).toHaveURL(/\/account\/emails$/);
});

test("an English-speaking client opens the email history from the account page", async ({ page }) => {
  await signIn(page, "ben@example.com");
  await expect(page.getByRole("heading", { level: 1, name: "Hello, Ben" })).toBeVisible();
  await openAccount(page, { nav: "Main", account: "Account" });
  const tile = page.getByRole("link", { name: /^Email history/ });
  await expect(tile).toContainText("Every email we have sent you");
  await tile.click();
  await expect(page.getByRole("heading", { level: 1, name: "Email history" })).toBeVisible();

  // Ben's history depends on what ran before (auth.spec.ts sends him reset emails): either
  // the empty state or a list whose newest entry opens.
  const list = page.getByRole("list", { name: "Email history" });
  const empty = page.getByText("We have not sent you any email yet.");
  await expect(list.or(empty)).toBeVisible(); // loaded, whichever it is
  if (await empty.isVisible()) return;
  const entries = list.getByRole("listitem");
  const subject = (await entries.first().locator(".email-subject").textContent())!.trim();
  await entries.first().getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();
  await expect(page.locator("pre.email-body")).toContainText("Hello Ben");
});

test("another client's email is not found", async ({ page }) => {
  // An email of Ana's (the first test sent her one; skip if this test runs alone on an empty history).
  await signIn(page, "ana@example.com");
  await expect(page.getByRole("heading", { level: 1, name: "Hola, Ana" })).toBeVisible();
  await page.goto("/account/emails");
  const list = page.getByRole("list", { name: "Historial de correos" });
  const empty = page.getByText("Todavía no te hemos enviado ningún correo.");
  await expect(list.or(empty)).toBeVisible();
  test.skip(await empty.isVisible(), "Ana has no email yet");
  const first = list.getByRole("link").first();
  const href = (await first.getAttribute("href"))!;
  expect(href).toMatch(/^\/account\/emails\/\d+$/);

  // Ben, in the same browser once Ana's session cookie is gone.
  await page.context().clearCookies();
  await signIn(page, "ben@example.com");
  await expect(page.getByRole("heading", { level: 1, name: "Hello, Ben" })).toBeVisible();
  const res = await page.goto(href);
  expect(res?.status()).toBe(404);
  await expect(page.locator("pre.email-body")).toHaveCount(0);
  await expect(page.getByRole("alert")).toBeVisible();
});
