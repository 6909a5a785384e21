import { test, expect, type Page } from "@playwright/test";
import { hydrated, signIn } from "./helpers";

// The desktop and phone projects share one database: every run writes items of its own.
function uniqueTitle(base: string, project: string) {
  return `${base} (${project} ${Date.now()})`;
}

/** From the staff home to the blank news form, by the links a staff member follows. */
async function openNewNewsForm(page: Page) {
  await page.goto("/staff");
  await page.getByRole("main").getByRole("link", { name: /^News/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Manage news" })).toBeVisible();
  await page.getByRole("link", { name: "New news item" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "New news item" })).toBeVisible();
}

test("staff publish a news item in Spanish and a Spanish client reads it", async ({ page }, testInfo) => {
  const title = uniqueTitle("Nuevo centro de datos en Madrid", testInfo.project.name);
  await signIn(page, "admin@example.com");
  await expect(page.getByRole("heading", { level: 1, name: "Hello, Alex" })).toBeVisible();
  await openNewNewsForm(page);
  await hydrated(page);

  // The header has a language switch too: look for the form's fields inside the page body.
  const form = page.getByRole("main");
  await form.getByLabel("Title", { exact: true }).fill(title);
  await form.getByLabel("Language", { exact: true }).selectOption({ label: "Español" });
  await form
    .getByLabel("Text", { exact: true })
    .fill("Abrimos un **nuevo centro de datos** en Madrid.\n\n- Menos latencia\n- Más capacidad");
  await form.getByLabel("Published", { exact: true }).check();
  await form.getByRole("button", { name: "Save" }).click();

  await expect(page).toHaveURL(/\/staff\/news\?saved=1$/);
  await expect(page.getByText("The news item has been saved.")).toBeVisible();
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: title, exact: true }) });
  await expect(row.getByRole("cell", { name: "Español", exact: true })).toBeVisible();
  await expect(row.getByRole("cell", { name: "Published", exact: true })).toBeVisible();

  // Ana's account is in Spanish: she finds the item among the news and opens it.
  await page.context().clearCookies();
  await signIn(page, "ana@example.com");
  await expect(page.getByRole("heading", { level: 1, name: "Hola, Ana" })).toBeVisible();
  await page.goto("/news");
  await page.getByRole("link", { name: title, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.locator("article strong")).toHaveText("nuevo centro de datos");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("staff save a draft that readers do not see, and invalid input is explained", async ({ page }, testInfo) => {
    const title = uniqueTitle("Draft written without JavaScript", testInfo.project.name);
    await signIn(page, "admin@example.com");
    await expect(page.getByRole("heading", { level: 1, name: "Hello, Alex" })).toBeVisible();
    await openNewNewsForm(page);
    const form = page.getByRole("main");

    // Only spaces pass the browser's "required" check but not the server's.
    await form.getByLabel("Title", { exact: true }).fill("   ");
    await form.getByLabel("Text", { exact: true }).fill("Body");
    await form.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("alert")).toHaveText("Enter a title of at most 200 characters.");

    await form.getByLabel("Title", { exact: true }).fill(title);
    await form.getByLabel("Text", { exact: true }).fill("Not for readers yet.");
    await form.getByRole("button", { name: "Save" }).click();
    await expect(page).toHaveURL(/\/staff\/news\?saved=1$/);
    const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: title, exact: true }) });
    await expect(row.getByRole("cell", { name: "Draft", exact: true })).toBeVisible();

    await page.context().clearCookies();
    await page.goto("/news");
    await expect(page.getByRole("heading", { level: 1, name: "News" })).toBeVisible();
    await expect(page.getByText(title)).toHaveCount(0);
  });
});
