//! Billing cycles and proration of mid-period plan changes.
//!
//! Everything here is a pure function of its inputs (no clock, no database) so that the
//! amounts a client is charged can be reproduced and tested exactly. Money is always
//! [`Decimal`]; binary floating point cannot represent cents and would make totals drift.

use chrono::{Months, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

/// How often a service is invoiced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BillingCycle {
    Monthly,
    Quarterly,
    SemiAnnually,
    Annually,
}

impl BillingCycle {
    /// Every cycle, shortest first; for selects and exhaustive tests.
    pub const ALL: [BillingCycle; 4] = [
        BillingCycle::Monthly,
        BillingCycle::Quarterly,
        BillingCycle::SemiAnnually,
        BillingCycle::Annually,
    ];

    /// Length of one cycle in calendar months. Cycles are defined in months, not days,
    /// because clients expect to renew on "the same day of the month".
    pub fn months(self) -> u32 {
        match self {
            BillingCycle::Monthly => 1,
            BillingCycle::Quarterly => 3,
            BillingCycle::SemiAnnually => 6,
            BillingCycle::Annually => 12,
        }
    }

    /// Stable lowercase identifier, used in storage and URLs; never change an existing value.
    pub fn as_str(self) -> &'static str {
        match self {
            BillingCycle::Monthly => "monthly",
            BillingCycle::Quarterly => "quarterly",
            BillingCycle::SemiAnnually => "semiannually",
            BillingCycle::Annually => "annually",
        }
    }

    /// Inverse of [`BillingCycle::as_str`]. Lenient about case and surrounding whitespace
    /// because the value may come from a form or a hand-edited import.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|cycle| cycle.as_str().eq_ignore_ascii_case(s))
    }
}

/// The date `n` cycles after `anchor`.
///
/// Computed from the anchor in one step rather than by repeatedly adding one cycle: a
/// service registered on Jan 31 must renew on Feb 28 (or 29), then Mar 31, Apr 30, …;
/// adding a month to Feb 28 would wrongly pin every later renewal to the 28th.
/// `checked_add_months` clamps to the last day of the target month, which is what we want.
///
/// Dates beyond chrono's range (hundreds of thousands of years away, so only reachable
/// with absurd input) saturate to [`NaiveDate::MAX`] instead of panicking.
pub fn add_cycle(anchor: NaiveDate, cycle: BillingCycle, n: u32) -> NaiveDate {
    let months = cycle.months().saturating_mul(n);
    anchor
        .checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// A plan change requested in the middle of a period that has already been paid for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProrationInput {
    /// Price of the current plan for one current cycle (what was paid for this period).
    pub current_price: Decimal,
    /// Start of the paid period (the previous due date), inclusive.
    pub period_start: NaiveDate,
    /// End of the paid period (the next due date), exclusive.
    pub period_end: NaiveDate,
    /// Price of the new plan for one new cycle.
    pub new_price: Decimal,
    pub new_cycle: BillingCycle,
    pub today: NaiveDate,
}

/// The result of [`prorate`]. The fields are the whole arithmetic, so the UI can show the
/// client exactly how the amount was reached and every shown figure adds up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Proration {
    /// `period_end - period_start`.
    pub days_in_period: i64,
    /// `period_end - today`, clamped to `0..=days_in_period`.
    pub days_remaining: i64,
    /// Unused part of what was paid: `current_price * days_remaining / days_in_period`,
    /// rounded to cents.
    pub credit: Decimal,
    /// Days in one new cycle starting at `period_start`, so that a monthly→annual change
    /// is priced per day of the actual year (365 or 366).
    pub new_cycle_days: i64,
    /// The new plan for the same remaining days: `new_price * days_remaining / new_cycle_days`,
    /// rounded to cents.
    pub new_cost: Decimal,
    /// `max(0, new_cost - credit)`: what the client pays now.
    pub amount_due: Decimal,
    /// `max(0, credit - new_cost)`: a downgrade's surplus, for the client's credit balance
    /// (never refunded as cash here).
    pub credit_left: Decimal,
    /// Unchanged: `period_end`. The new cycle starts at the next renewal, so the client
    /// keeps their billing day.
    pub next_due: NaiveDate,
}

/// Why a plan change could not be prorated. All are caller bugs or corrupt data, not
/// situations a client can fix, so they carry no detail beyond their kind.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ProrationError {
    #[error("the billing period is empty: it must end after it starts")]
    EmptyPeriod,
    #[error("prices must not be negative")]
    NegativePrice,
    /// Only reachable with prices near `Decimal::MAX`; reported instead of panicking.
    #[error("the amounts are too large to prorate")]
    Overflow,
}

/// Prorates a plan change on `input.today`.
///
/// Rounding rule: intermediate products and quotients keep full `Decimal` precision;
/// `credit` and `new_cost` are each rounded to 2 decimal places with
/// [`RoundingStrategy::MidpointAwayFromZero`] (the commercial rule clients expect, rather
/// than banker's rounding); `amount_due` and `credit_left` are then computed from those
/// rounded values, so `amount_due == new_cost - credit` (or `credit_left == credit - new_cost`)
/// holds exactly for the figures shown on the invoice. Subtracting before rounding could be
/// a cent off from what the client can check by hand.
///
/// `today` before `period_start` counts as the whole period remaining; `today` on or after
/// `period_end` leaves nothing to credit and nothing to charge.
///
/// # Errors
///
/// [`ProrationError::EmptyPeriod`] if `period_end` is not after `period_start`,
/// [`ProrationError::NegativePrice`] if either price is below zero, and
/// [`ProrationError::Overflow`] if an amount exceeds what `Decimal` can hold.
pub fn prorate(input: &ProrationInput) -> Result<Proration, ProrationError> {
    if input.period_end <= input.period_start {
        return Err(ProrationError::EmptyPeriod);
    }
    // `Decimal` compares -0 equal to 0, so a negative zero counts as free, not negative.
    if input.current_price < Decimal::ZERO || input.new_price < Decimal::ZERO {
        return Err(ProrationError::NegativePrice);
    }

    let days_in_period = (input.period_end - input.period_start).num_days();
    let days_remaining = (input.period_end - input.today)
        .num_days()
        .clamp(0, days_in_period);
    // period_start < period_end <= NaiveDate::MAX, so even a saturated add_cycle is at least
    // one day later: the divisor below is never zero.
    let new_cycle_days =
        (add_cycle(input.period_start, input.new_cycle, 1) - input.period_start).num_days();

    let credit = pro_rata(input.current_price, days_remaining, days_in_period)?;
    let new_cost = pro_rata(input.new_price, days_remaining, new_cycle_days)?;

    let amount_due = (new_cost - credit).max(Decimal::ZERO);
    let credit_left = (credit - new_cost).max(Decimal::ZERO);

    Ok(Proration {
        days_in_period,
        days_remaining,
        credit,
        new_cycle_days,
        new_cost,
        amount_due,
        credit_left,
        next_due: input.period_end,
    })
}

/// `price * days / of_days` rounded to cents. Multiplies before dividing so that exact
/// results (including exact midpoints like 0.025) stay exact until the single rounding.
fn pro_rata(price: Decimal, days: i64, of_days: i64) -> Result<Decimal, ProrationError> {
    price
        .checked_mul(Decimal::from(days))
        .and_then(|total| total.checked_div(Decimal::from(of_days)))
        .map(|exact| exact.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))
        .ok_or(ProrationError::Overflow)
}

#[cfg(test)]
mod tests;
