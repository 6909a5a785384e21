import { test, expect, type Page } from "@playwright/test";
import { hydrated, signIn } from "./helpers";

const ARTICLE = "/kb/billing/how-billing-works";

test("a Spanish search typed without accents finds the article", async ({ page }) => {
  await signIn(page, "ana@example.com");
  await expect(page.getByRole("heading", { level: 1, name: "Hola, Ana" })).toBeVisible();
  await hydrated(page);
  // The search box on the home page.
  await page.getByLabel("Buscar en la base de conocimiento").fill("facturacion");
  await page.getByRole("button", { name: "Buscar", exact: true }).click();
  await expect(page).toHaveURL(/\/kb\/search\?q=facturacion/);
  const hit = page.getByRole("link", { name: "¿Cómo funciona la facturación?" });
  await expect(hit).toBeVisible();
  // The draft with the same word is never found.
  await expect(page.getByText("Nuevas tarifas de facturación")).toHaveCount(0);
  await hit.click();
  await expect(page.getByRole("heading", { level: 1, name: "¿Cómo funciona la facturación?" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Artículos relacionados" }).getByRole("link").first()).toBeVisible();
});

test("the knowledge base can be browsed and searched without signing in", async ({ page }) => {
  await page.goto("/kb");
  await page.getByRole("link", { name: /Email/ }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Email" })).toBeVisible();
  await page.goto("/kb/search?q=nothing-like-this");
  await expect(page.getByText("No articles match your search")).toBeVisible();
});

async function helpfulCount(page: Page): Promise<number> {
  await page.goto(ARTICLE);
  return Number(await page.getByTestId("kb-helpful").textContent());
}

test("a reader votes once; a second vote does not count twice", async ({ page, browser }) => {
  const staff = await (await browser.newContext()).newPage();
  await signIn(staff, "admin@example.com");
  await expect(staff.getByRole("heading", { level: 1, name: "Hello, Alex" })).toBeVisible();
  const before = await helpfulCount(staff);

  // A visitor (fresh browser, not signed in) answers "Yes".
  await page.goto(ARTICLE);
  await hydrated(page);
  const box = page.getByRole("region", { name: "Did you find your answer?" });
  const articleId = await box.locator("input[name=article_id]").first().inputValue();
  await box.getByRole("button", { name: "Yes" }).click();
  await expect(box.getByRole("status")).toContainText("Thanks for your answer.");
  await expect(box.getByRole("button")).toHaveCount(0);

  // The same answer sent again from this browser (a double submit or a replayed form) is
  // accepted but not counted.
  const origin = new URL(page.url()).origin;
  const again = await page.request.post("/_fn/kb_vote", {
    headers: { Origin: origin, Accept: "application/json" },
    form: { article_id: articleId, helpful: "yes", category: "billing", slug: "how-billing-works" },
  });
  expect(again.status()).toBe(200);
  await page.reload();
  await expect(box.getByRole("status")).toContainText("Thanks for your answer.");

  expect(await helpfulCount(staff)).toBe(before + 1);
});

test("staff publish an article and a Spanish reader finds it without accents", async ({ page }, testInfo) => {
  // The desktop and phone projects share one database: each run writes its own article.
  const word = `ventilación${testInfo.project.name}${Date.now()}`;
  await signIn(page, "admin@example.com");
  await expect(page.getByRole("heading", { level: 1, name: "Hello, Alex" })).toBeVisible();
  await page.goto("/staff");
  await page.getByRole("main").getByRole("link", { name: /^Knowledge base/ }).click();
  await page.getByRole("link", { name: "New article" }).click();
  // The form works with or without the WebAssembly, so this test does not wait for it.
  await expect(page.getByRole("heading", { level: 1, name: "New article" })).toBeVisible();
  const form = page.getByRole("main");
  await form.getByLabel("Topic", { exact: true }).selectOption({ label: "Correo (Español)" });
  await form.getByLabel("Title", { exact: true }).fill(`Guía de ${word}`);
  await form.getByLabel("Tags", { exact: true }).fill("correo, servidor");
  await form.getByLabel("Text", { exact: true }).fill("El **servidor** se refrigera por aire.");
  await form.getByLabel("Published", { exact: true }).check();
  await form.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(/\/staff\/kb\?saved=1$/);
  await expect(page.getByRole("link", { name: `Guía de ${word}` })).toBeVisible();

  await page.context().clearCookies();
  await page.context().addCookies([{ name: "portico_lang", value: "es", url: new URL("/", page.url()).toString() }]);
  const unaccented = word.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  await page.goto(`/kb/search?q=${encodeURIComponent(unaccented)}`);
  await page.getByRole("link", { name: `Guía de ${word}` }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Guía de ${word}` })).toBeVisible();
});
