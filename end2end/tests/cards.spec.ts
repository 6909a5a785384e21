import { test, expect } from "@playwright/test";
import { addTestCard, hydrated, removeAllCards, signIn } from "./helpers";

// Card pages against the Stripe stand-in (STRIPE_API_BASE): test cards by name, no card numbers.
// Each test leaves Ben without cards again, so it can run at both screen sizes on one database.

test("a client adds test cards, makes one the default and removes them", async ({ page }) => {
  await signIn(page, "ben@example.com");
  await expect(page.getByRole("heading", { level: 1, name: "Hello, Ben" })).toBeVisible();
  await removeAllCards(page);
  await expect(page.getByTestId("auto-pay")).toHaveText(/nothing is charged automatically/);

  await addTestCard(page, "Visa test card (payments succeed)");
  await addTestCard(page, "Mastercard test card (payments succeed)");
  const cards = page.getByTestId("card");
  await expect(cards).toHaveCount(2);
  // The first card saved is the default and listed first.
  await expect(cards.first()).toContainText("Visa ending in 4242");
  await expect(cards.first()).toContainText("Default");
  await expect(page.getByTestId("auto-pay")).toHaveText(/charged to your default card/);
  const master = cards.filter({ hasText: "Mastercard ending in 4444" });
  await master.getByRole("button", { name: "Make default" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Default card changed." })).toBeVisible();
  await expect(cards.first()).toContainText("Mastercard ending in 4444");
  await expect(cards.first()).toContainText("Default");
  await removeAllCards(page);
});

test("paying now with a declining card says why and leaves the invoice unpaid", async ({ page }) => {
  await signIn(page, "ben@example.com");
  await expect(page.getByRole("heading", { level: 1, name: "Hello, Ben" })).toBeVisible();
  await removeAllCards(page);
  await page.goto("/invoices?status=unpaid");
  await page.getByRole("main").getByRole("link").filter({ hasText: /^\d{4}-\d{5}$/ }).first().click();
  const pay = page.getByRole("region", { name: "Pay now" });
  // Without a card: a way to add one.
  await expect(pay.getByRole("link", { name: "Add a card" })).toBeVisible();
  const invoice = page.url();

  await addTestCard(page, "Test card that is declined");
  await page.goto(invoice);
  await hydrated(page);
  await pay.getByRole("button", { name: "Pay now by card" }).click();
  await expect(pay.getByTestId("card-declined")).toHaveText(/Your card was declined/);
  await expect(page.getByRole("main").getByText("Unpaid").first()).toBeVisible();
  await removeAllCards(page);
});

// Stripe.js cannot be loaded here: this stand-in plays it in the browser, confirming the
// SetupIntent at the Stripe stand-in with a test PaymentMethod as the Payment Element would.
const FAKE_STRIPE_JS = `
window.Stripe = function (publishableKey, options) {
  window.__stripeLocale = options && options.locale;
  let secret = null;
  return {
    elements(o) {
      secret = o.clientSecret;
      return {
        create(kind) {
          return {
            mount(selector) {
              const input = document.createElement("input");
              input.setAttribute("aria-label", "Card number");
              input.value = "4242 4242 4242 4242";
              document.querySelector(selector).appendChild(input);
            },
          };
        },
      };
    },
    async confirmSetup() {
      const id = secret.split("_secret_")[0];
      const res = await fetch(window.__standin + "/v1/setup_intents/" + id + "/confirm", {
        method: "POST",
        headers: { Authorization: "Bearer " + publishableKey, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ payment_method: "pm_card_visa", client_secret: secret }),
      });
      const json = await res.json();
      if (json.error) return { error: { message: json.error.message } };
      return { setupIntent: json };
    },
  };
};`;

test.describe("with Stripe.js", () => {
  // Requests a service worker makes are not routed reliably (Playwright's documented advice:
  // block service workers when routing); this test needs none.
  test.use({ serviceWorkers: "block" });

  test("a card is saved through Stripe's Payment Element (Stripe.js stand-in)", async ({ page }) => {
    const standin = process.env.STRIPE_STANDIN;
    expect(standin, "STRIPE_STANDIN is set by `cargo xtask test`").toBeTruthy();
    await signIn(page, "ben@example.com");
    await expect(page.getByRole("heading", { level: 1, name: "Hello, Ben" })).toBeVisible();
    await removeAllCards(page);
    // Routed only now: while a route is set every request passes through Playwright, which
    // makes a first, uncached load of the app's WebAssembly slow.
    await page.route("https://js.stripe.com/v3/", (route) =>
      route.fulfill({
        contentType: "application/javascript",
        body: `window.__standin = ${JSON.stringify(standin)};\n${FAKE_STRIPE_JS}`,
      }),
    );
    await page.goto("/billing/payment-methods");
    await hydrated(page);
    const form = page.getByTestId("stripe-form");
    await expect(form.getByLabel("Card number")).toBeVisible();
    expect(await page.evaluate(() => (window as any).__stripeLocale)).toBe("en");
    await form.getByRole("button", { name: "Save card" }).click();
    await expect(page.getByTestId("card")).toHaveCount(1);
    await expect(page.getByTestId("card").first()).toContainText("Visa ending in 4242");
    await page.unroute("https://js.stripe.com/v3/");
    await removeAllCards(page);
  });
});
