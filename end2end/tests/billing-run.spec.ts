import { test, expect, devices, type Page, type Browser } from "@playwright/test";
import { addTestCard, hydrated, latestEmailTo, removeAllCards, signIn } from "./helpers";

// Automatic card charges through real billing runs (staff "Run billing now") against the Stripe
// stand-in. Billing runs renew every client's services, so this file runs once, after the rest
// of the suite (its own Playwright project), and in order.
test.describe.configure({ mode: "serial" });

async function staffPage(browser: Browser): Promise<Page> {
  const staff = await (await browser.newContext()).newPage();
  await signIn(staff, "admin@example.com");
  await expect(staff.getByRole("heading", { level: 1, name: "Hello, Alex" })).toBeVisible();
  return staff;
}

async function runBilling(staff: Page) {
  await staff.goto("/staff");
  await hydrated(staff);
  await staff.getByRole("button", { name: "Run billing now" }).click();
  await expect(staff.getByRole("status").filter({ hasText: "The billing run has finished." })).toBeVisible();
}

/** Opens the client's invoice (of `status`) that bills `domain`; returns its URL. */
async function openInvoiceFor(page: Page, status: string, domain: string, must?: string): Promise<string> {
  await page.goto(`/invoices?status=${status}`);
  const links = page.getByRole("main").getByRole("link").filter({ hasText: /^\d{4}-\d{5}$/ });
  const hrefs = await links.evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
  for (const href of hrefs) {
    await page.goto(href);
    const main = page.getByRole("main");
    await expect(main.getByRole("heading", { level: 1 })).toBeVisible();
    const text = (await main.textContent()) ?? "";
    if (text.includes(domain) && (!must || text.includes(must))) return href;
  }
  throw new Error(`no ${status} invoice for ${domain}`);
}

test("desktop: no card waits, a declined card is emailed and retried, 3-D Secure pays on-session", async ({ page, browser }) => {
  const staff = await staffPage(browser);
  // Ana pays by hand until she saves a card (the phone test below).
  const ana = await (await browser.newContext()).newPage();
  await signIn(ana, "ana@example.com");
  await expect(ana.getByRole("heading", { level: 1, name: "Hola, Ana" })).toBeVisible();
  await removeAllCards(ana);
  await ana.context().close();
  await signIn(page, "ben@example.com");
  await expect(page.getByRole("heading", { level: 1, name: "Hello, Ben" })).toBeVisible();
  await removeAllCards(page);

  // 1. No saved card: the renewal of Ben's card-paid service is issued and waits for him.
  await runBilling(staff);
  const invoice = await openInvoiceFor(page, "unpaid", "cloud.bencarter.example");
  const pay = page.getByRole("region", { name: "Pay now" });
  await expect(pay.getByRole("link", { name: "Add a card" })).toBeVisible();
  await expect(pay.getByTestId("last-declined")).toHaveCount(0);

  // 2. A card that is declined: the next run tries it, the invoice stays unpaid, Ben is
  // emailed, and the page says when the card is tried again.
  await addTestCard(page, "Test card that is declined");
  const before = Date.now();
  await runBilling(staff);
  const declined = await latestEmailTo("ben@example.com", before);
  expect(declined).toContain("the bank declined it");
  expect(declined).toContain("We will try the card again on");
  await page.goto(invoice);
  await expect(pay.getByTestId("last-declined")).toContainText("The last automatic payment was declined");
  await expect(pay.getByTestId("last-declined")).toContainText("We will try the card again on");

  // 3. A card that needs authentication, made the default; the declined one removed.
  await addTestCard(page, "Test card that asks for authentication (3-D Secure)");
  const cards = page.getByTestId("card");
  await cards.filter({ hasText: "ending in 3184" }).getByRole("button", { name: "Make default" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Default card changed." })).toBeVisible();
  const old = cards.filter({ hasText: "ending in 0002" });
  await old.getByTestId("remove-card").click();
  await old.getByTestId("remove-card-confirm").click();
  await expect(cards).toHaveCount(1);

  const sent = Date.now();
  await runBilling(staff);
  const mail = await latestEmailTo("ben@example.com", sent);
  expect(mail).toContain("Your bank asks you to confirm the payment");
  const link = mail.match(/https?:\/\/\S+\/invoices\/\d+#pay/)![0];
  expect(link.split("#")[0]).toBe(invoice);
  await page.goto(link);
  await hydrated(page);
  await expect(pay.getByTestId("needs-authentication")).toBeVisible();
  await pay.getByRole("button", { name: "Confirm payment" }).click();
  // The bank's 3-D Secure page (the stand-in's), then back to the invoice.
  await expect(page.getByRole("button", { name: "Complete authentication" })).toBeVisible();
  await page.getByRole("button", { name: "Complete authentication" }).click();
  await expect(page).toHaveURL(new RegExp(`/invoices/\\d+`));
  await expect(page.getByRole("main").getByText("Paid", { exact: true }).first()).toBeVisible();
  await expect(page.getByRole("region", { name: "Payments and refunds" })).toContainText("Card");
  await removeAllCards(page);
  await staff.context().close();
});

test.describe("phone", () => {
  const { defaultBrowserType: _, ...pixel } = devices["Pixel 7"];
  test.use(pixel);

  test("a card saved now pays the waiting renewal in the next run; another becomes the default", async ({ page, browser }) => {
    const staff = await staffPage(browser);
    await signIn(page, "ana@example.com");
    await expect(page.getByRole("heading", { level: 1, name: "Hola, Ana" })).toBeVisible();
    // The runs above issued her shop's renewal while she had no card: it waits.
    const invoice = await openInvoiceFor(page, "unpaid", "tienda-ana.example");
    await removeAllCards(page);
    await addTestCard(page, "Tarjeta Visa de prueba (los pagos se aceptan)");
    await expect(page.getByTestId("card").first()).toContainText("Predeterminada");
    await runBilling(staff);
    await page.goto(invoice);
    await expect(page.getByRole("main").getByText("Pagada", { exact: true }).first()).toBeVisible();
    await expect(page.getByRole("region", { name: "Pagos y reembolsos" })).toContainText("Tarjeta");

    await addTestCard(page, "Tarjeta Mastercard de prueba (los pagos se aceptan)");
    const cards = page.getByTestId("card");
    const master = cards.filter({ hasText: "Mastercard terminada en 4444" });
    await master.getByRole("button", { name: "Usar como predeterminada" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Tarjeta predeterminada cambiada." })).toBeVisible();
    await expect(cards.first()).toContainText("Mastercard terminada en 4444");
    await expect(cards.first()).toContainText("Predeterminada");
    await staff.context().close();
  });
});
