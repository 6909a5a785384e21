import { expect, type Page } from "@playwright/test";
import * as fs from "node:fs";
import * as path from "node:path";

export const DEMO_PASSWORD = "portico-demo";

/** Waits until the WebAssembly has hydrated the page. A page that never does says why: its
 * script errors are in the failure message. The wait is long because on a loaded 2-core
 * machine a page has been seen to take more than 20 s (fully rendered, no script error); how
 * fast it hydrates is not what these tests check. */
export async function hydrated(page: Page) {
  const errors: string[] = [];
  const onError = (e: Error) => errors.push(`pageerror: ${e.message}`);
  const onConsole = (m: import("@playwright/test").ConsoleMessage) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  };
  page.on("pageerror", onError);
  page.on("console", onConsole);
  try {
    await expect(page.locator("html[data-hydrated=true]")).toHaveCount(1, { timeout: 45_000 });
  } catch (e) {
    // What the page was doing: which of the bundle's files arrived (a resource entry appears
    // once it has finished loading) and whether a service worker was in between.
    const state = await page
      .evaluate(() => ({
        readyState: document.readyState,
        panic: document.documentElement.dataset.panic ?? "none",
        serviceWorker: navigator.serviceWorker?.controller?.state ?? "none",
        bundle: performance
          .getEntriesByType("resource")
          .filter((r) => r.name.includes("/pkg/"))
          .map((r) => `${new URL(r.name).pathname} ${Math.round(r.duration)} ms`),
      }))
      .catch((err) => ({ unavailable: String(err) }));
    throw new Error(`${page.url()} did not hydrate: ${JSON.stringify(state)}\n${errors.join("\n")}\n${e}`);
  } finally {
    page.off("pageerror", onError);
    page.off("console", onConsole);
  }
}

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** On a phone the navigation sits behind the "Menu" disclosure. */
export async function openMenu(page: Page) {
  const menu = page.getByText("Menu", { exact: true });
  if (await menu.isVisible()) await menu.click();
}

function decodeQuotedPrintable(s: string): string {
  const bytes: number[] = [];
  const soft = s.replace(/=\r?\n/g, "");
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === "=" && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i], "utf8"));
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

/** The body of the newest email the SMTP sink received for `to`, decoded. */
export async function latestEmailTo(to: string, after = 0): Promise<string> {
  const dir = process.env.MAIL_DIR;
  if (!dir) throw new Error("MAIL_DIR is not set: run the suite through `cargo xtask test`");
  for (let attempt = 0; attempt < 50; attempt++) {
    const files = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith(".eml"))
      .map((f) => ({ f, t: fs.statSync(path.join(dir, f)).mtimeMs }))
      .filter(({ t }) => t >= after)
      .sort((a, b) => b.t - a.t);
    for (const { f } of files) {
      const raw = fs.readFileSync(path.join(dir, f), "utf8");
      const [head, ...rest] = raw.split(/\r?\n\r?\n/);
      if (!/^X-Sink-Rcpt:.*$/m.test(head) || !head.match(/^X-Sink-Rcpt:(.*)$/m)![1].includes(to)) continue;
      const body = rest.join("\n\n");
      const enc = head.match(/^Content-Transfer-Encoding:\s*(\S+)/im)?.[1]?.toLowerCase();
      if (enc === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
      if (enc === "quoted-printable") return decodeQuotedPrintable(body);
      return body;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no email to ${to} in ${dir}`);
}

/** Removes every saved card of the signed-in client (either language). */
export async function removeAllCards(page: Page) {
  await page.goto("/billing/payment-methods");
  await hydrated(page);
  const cards = page.getByTestId("card");
  for (let n = await cards.count(); n > 0; n--) {
    const confirm = cards.first().getByTestId("remove-card-confirm");
    // Opens the confirmation (unless it is open already).
    if (!(await confirm.isVisible())) await cards.first().getByTestId("remove-card").click();
    await confirm.click();
    await expect(cards).toHaveCount(n - 1);
  }
  await expect(page.getByTestId("no-cards")).toBeVisible();
}

/** Saves one of the offered test cards, by its button's name. */
export async function addTestCard(page: Page, name: string) {
  await page.goto("/billing/payment-methods");
  await page.getByRole("button", { name }).click();
  await expect(page.getByTestId("card").filter({ hasText: /\d{4}/ }).first()).toBeVisible();
  await expect(page).toHaveURL(/saved=1/);
}
