import { test, expect } from "@playwright/test";
import { hydrated, removeAllCards, signIn } from "./helpers";

test("the home page shows the unpaid invoices and the total due", async ({ page }) => {
  await signIn(page, "ana@example.com");
  const invoices = page.getByRole("region", { name: "Facturas" });
  await expect(invoices.getByTestId("total-due")).toHaveText(/120,00\s€/);
  await invoices.getByRole("link", { name: "Ver todos" }).click();
  await expect(page).toHaveURL(/\/invoices\?status=unpaid/);
  await expect(page.getByRole("main").getByRole("row")).toHaveCount(3); // header + 2 invoices
});

test("an upgrade shows the prorated amount and produces its invoice", async ({ page }) => {
  await signIn(page, "ana@example.com");
  await expect(page.getByRole("heading", { level: 1, name: "Hola, Ana" })).toBeVisible();
  // Ana pays by hand here: with a saved card the upgrade's invoice would be charged at once
  // (billing-run.spec covers that).
  await removeAllCards(page);
  await page.goto("/services");
  await page.getByRole("link", { name: "tienda-ana.example" }).click();
  await hydrated(page);
  await page.getByRole("link", { name: "Cambiar de plan" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Cambiar de plan" })).toBeVisible();
  const upgradePage = page.url();
  await page.getByRole("link", { name: "Ver precio Pro Mensual" }).click();

  // The arithmetic: credit for the unused days against the new price for the same days.
  const quote = page.getByRole("region", { name: /Cambiar a Pro/ });
  await expect(quote).toContainText("Abono por los días no usados");
  await expect(quote).toContainText(/12,00\s€ × 12 \/ \d+ =/);
  await expect(quote).toContainText(/25,00\s€ × 12 \/ \d+ =/);
  const due = (await quote.getByTestId("quote-due").textContent())!.trim();
  expect(due).toMatch(/^\d+,\d\d\s€$/);

  await quote.getByRole("button", { name: "Confirmar el cambio de plan" }).click();
  await expect(page).toHaveURL(/\/invoices\/\d+\?upgrade=1/);
  await expect(page.getByRole("status").filter({ hasText: "Tu cambio de plan está pedido" })).toBeVisible();
  await expect(page.getByTestId("invoice-balance")).toHaveText(due);
  await expect(page.getByRole("main")).toContainText("tienda-ana.example");

  // The order waits for payment; withdrawing it cancels the invoice (and keeps this test
  // repeatable on the shared database).
  await page.goto(upgradePage);
  await expect(page.getByRole("heading", { name: "Hay un cambio de plan pendiente de pago" })).toBeVisible();
  await page.getByRole("button", { name: "Retirar este cambio de plan" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Se ha retirado el cambio de plan" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Ver precio Pro Mensual" })).toBeVisible();
});
