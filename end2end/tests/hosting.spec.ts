import { test, expect } from "@playwright/test";
import { signIn } from "./helpers";

test("the home page shows every service with its status badge, and the latest news", async ({ page }) => {
  await signIn(page, "ana@example.com");
  await expect(page.getByRole("heading", { level: 1, name: "Hola, Ana" })).toBeVisible();
  const services = page.getByRole("region", { name: "Tus servicios" });
  for (const [domain, status] of [
    ["tienda-ana.example", "Activo"],
    ["blog-ana.example", "Suspendido"],
    ["antigua-web.example", "Terminado"],
    ["nuevo-proyecto.example", "Pendiente"],
    ["pruebas-ana.example", "Cancelado"],
  ]) {
    const card = services.getByRole("listitem").filter({ has: page.getByRole("link", { name: domain }) });
    await expect(card.locator(".badge")).toHaveText(status);
  }
  const news = page.getByRole("region", { name: "Últimas noticias" });
  await expect(news.getByRole("listitem")).toHaveCount(3);
  await expect(news.getByRole("link", { name: "Mantenimiento programado el domingo por la noche", exact: true })).toBeVisible();
});

test("services filter by status, and a suspended service says why", async ({ page }) => {
  await signIn(page, "ana@example.com");
  await expect(page.getByRole("heading", { level: 1, name: "Hola, Ana" })).toBeVisible();
  await page.goto("/services");
  await page.getByRole("navigation", { name: "Filtrar por estado" }).getByRole("link", { name: "Suspendido" }).click();
  await expect(page).toHaveURL(/status=suspended/);
  await expect(page.getByRole("main").getByRole("listitem")).toHaveCount(1);
  await page.getByRole("link", { name: "blog-ana.example" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "blog-ana.example" })).toBeVisible();
  await expect(page.getByText("Hay una factura vencida")).toBeVisible();
});

test("news can be read without signing in", async ({ page }) => {
  await page.goto("/news");
  await page.getByRole("link", { name: "PHP 8.4 is now available", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "PHP 8.4 is now available" })).toBeVisible();
  await expect(page.locator("article strong")).toHaveText("PHP 8.4");
});
