use super::*;
use rust_decimal_macros::dec;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
}

fn input(
    current_price: Decimal,
    period_start: NaiveDate,
    period_end: NaiveDate,
    new_price: Decimal,
    new_cycle: BillingCycle,
    today: NaiveDate,
) -> ProrationInput {
    ProrationInput {
        current_price,
        period_start,
        period_end,
        new_price,
        new_cycle,
        today,
    }
}

// ---- BillingCycle -------------------------------------------------------------------

#[test]
fn cycle_months() {
    let months: Vec<u32> = BillingCycle::ALL.iter().map(|c| c.months()).collect();
    assert_eq!(months, [1, 3, 6, 12]);
}

#[test]
fn cycle_as_str_values_are_stable() {
    let names: Vec<&str> = BillingCycle::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(names, ["monthly", "quarterly", "semiannually", "annually"]);
}

#[test]
fn cycle_parse_round_trips_as_str() {
    for cycle in BillingCycle::ALL {
        assert_eq!(BillingCycle::parse(cycle.as_str()), Some(cycle));
    }
}

#[test]
fn cycle_parse_ignores_case_and_surrounding_whitespace() {
    assert_eq!(
        BillingCycle::parse("  Monthly\n"),
        Some(BillingCycle::Monthly)
    );
    assert_eq!(
        BillingCycle::parse("ANNUALLY"),
        Some(BillingCycle::Annually)
    );
    assert_eq!(
        BillingCycle::parse("\tSemiAnnually "),
        Some(BillingCycle::SemiAnnually)
    );
    assert_eq!(
        BillingCycle::parse("qUaRtErLy"),
        Some(BillingCycle::Quarterly)
    );
}

#[test]
fn cycle_parse_rejects_unknown_values() {
    for bad in [
        "",
        " ",
        "month",
        "semi-annually",
        "yearly",
        "monthly2",
        "mon thly",
    ] {
        assert_eq!(BillingCycle::parse(bad), None, "{bad:?}");
    }
}

// ---- add_cycle ----------------------------------------------------------------------

#[test]
fn add_cycle_zero_is_identity() {
    for cycle in BillingCycle::ALL {
        assert_eq!(add_cycle(date(2025, 1, 31), cycle, 0), date(2025, 1, 31));
        assert_eq!(add_cycle(date(2028, 2, 29), cycle, 0), date(2028, 2, 29));
    }
}

#[test]
fn add_cycle_from_jan_31_monthly_through_a_non_leap_year() {
    let anchor = date(2027, 1, 31);
    let expected = [
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
        date(2027, 5, 31),
        date(2027, 6, 30),
        date(2027, 7, 31),
        date(2027, 8, 31),
        date(2027, 9, 30),
        date(2027, 10, 31),
        date(2027, 11, 30),
        date(2027, 12, 31),
        date(2028, 1, 31),
    ];
    for (n, want) in (1..).zip(expected) {
        assert_eq!(add_cycle(anchor, BillingCycle::Monthly, n), want, "n = {n}");
    }
}

#[test]
fn add_cycle_from_jan_31_monthly_in_a_leap_year_lands_on_feb_29() {
    let anchor = date(2028, 1, 31);
    assert_eq!(
        add_cycle(anchor, BillingCycle::Monthly, 1),
        date(2028, 2, 29)
    );
    assert_eq!(
        add_cycle(anchor, BillingCycle::Monthly, 2),
        date(2028, 3, 31)
    );
    assert_eq!(
        add_cycle(anchor, BillingCycle::Monthly, 3),
        date(2028, 4, 30)
    );
}

#[test]
fn add_cycle_is_anchored_not_cumulative() {
    let anchor = date(2025, 1, 31);
    assert_eq!(
        add_cycle(anchor, BillingCycle::Monthly, 2),
        date(2025, 3, 31)
    );
    // Stepping from the clamped Feb 28 would have drifted to Mar 28.
    let stepped = add_cycle(
        add_cycle(anchor, BillingCycle::Monthly, 1),
        BillingCycle::Monthly,
        1,
    );
    assert_eq!(stepped, date(2025, 3, 28));
}

#[test]
fn add_cycle_quarterly_from_aug_31_clamps_to_nov_30() {
    let anchor = date(2025, 8, 31);
    assert_eq!(
        add_cycle(anchor, BillingCycle::Quarterly, 1),
        date(2025, 11, 30)
    );
    assert_eq!(
        add_cycle(anchor, BillingCycle::Quarterly, 2),
        date(2026, 2, 28)
    );
    assert_eq!(
        add_cycle(anchor, BillingCycle::Quarterly, 3),
        date(2026, 5, 31)
    );
}

#[test]
fn add_cycle_semiannually_and_annually() {
    assert_eq!(
        add_cycle(date(2025, 8, 31), BillingCycle::SemiAnnually, 1),
        date(2026, 2, 28)
    );
    assert_eq!(
        add_cycle(date(2027, 8, 31), BillingCycle::SemiAnnually, 1),
        date(2028, 2, 29)
    );
    // Feb 29 renews on Feb 28 in non-leap years and returns to Feb 29 four years on.
    let leap_day = date(2028, 2, 29);
    assert_eq!(
        add_cycle(leap_day, BillingCycle::Annually, 1),
        date(2029, 2, 28)
    );
    assert_eq!(
        add_cycle(leap_day, BillingCycle::Annually, 4),
        date(2032, 2, 29)
    );
}

#[test]
fn add_cycle_saturates_instead_of_panicking() {
    assert_eq!(
        add_cycle(date(2025, 1, 1), BillingCycle::Annually, u32::MAX),
        NaiveDate::MAX
    );
    assert_eq!(
        add_cycle(NaiveDate::MAX, BillingCycle::Monthly, 1),
        NaiveDate::MAX
    );
}

// ---- prorate ------------------------------------------------------------------------

#[test]
fn mid_month_upgrade_monthly_to_monthly() {
    // Apr 1 → May 1 is 30 days; on Apr 21 there are 10 days left.
    // credit   = 10.00 * 10 / 30 = 3.333… → 3.33
    // new_cost = 20.00 * 10 / 30 = 6.666… → 6.67
    // due      = 6.67 - 3.33 = 3.34 (subtracting unrounded values would show 3.33)
    let p = prorate(&input(
        dec!(10.00),
        date(2025, 4, 1),
        date(2025, 5, 1),
        dec!(20.00),
        BillingCycle::Monthly,
        date(2025, 4, 21),
    ))
    .expect("valid input");
    assert_eq!(
        p,
        Proration {
            days_in_period: 30,
            days_remaining: 10,
            credit: dec!(3.33),
            new_cycle_days: 30,
            new_cost: dec!(6.67),
            amount_due: dec!(3.34),
            credit_left: dec!(0),
            next_due: date(2025, 5, 1),
        }
    );
    assert_eq!(p.amount_due, p.new_cost - p.credit);
}

#[test]
fn upgrade_monthly_to_annually_in_a_common_year_uses_365_days() {
    // Jun 1 → Jul 1 2025 is 30 days; on Jun 16 15 days are left.
    // Jun 1 2025 → Jun 1 2026 is 365 days.
    // credit   = 12.00 * 15 / 30  = 6.00
    // new_cost = 240.00 * 15 / 365 = 9.863… → 9.86
    // due      = 9.86 - 6.00 = 3.86
    let p = prorate(&input(
        dec!(12.00),
        date(2025, 6, 1),
        date(2025, 7, 1),
        dec!(240.00),
        BillingCycle::Annually,
        date(2025, 6, 16),
    ))
    .expect("valid input");
    assert_eq!(p.days_in_period, 30);
    assert_eq!(p.days_remaining, 15);
    assert_eq!(p.new_cycle_days, 365);
    assert_eq!(p.credit, dec!(6.00));
    assert_eq!(p.new_cost, dec!(9.86));
    assert_eq!(p.amount_due, dec!(3.86));
    assert_eq!(p.credit_left, dec!(0));
    assert_eq!(p.next_due, date(2025, 7, 1));
}

#[test]
fn upgrade_monthly_to_annually_across_a_leap_day_uses_366_days() {
    // Jun 1 2027 → Jun 1 2028 contains Feb 29 2028: 366 days.
    // credit   = 12.00 * 15 / 30  = 6.00
    // new_cost = 240.00 * 15 / 366 = 9.836… → 9.84
    // due      = 9.84 - 6.00 = 3.84
    let p = prorate(&input(
        dec!(12.00),
        date(2027, 6, 1),
        date(2027, 7, 1),
        dec!(240.00),
        BillingCycle::Annually,
        date(2027, 6, 16),
    ))
    .expect("valid input");
    assert_eq!(p.new_cycle_days, 366);
    assert_eq!(p.credit, dec!(6.00));
    assert_eq!(p.new_cost, dec!(9.84));
    assert_eq!(p.amount_due, dec!(3.84));
    assert_eq!(p.credit_left, dec!(0));
}

#[test]
fn annual_plan_cheaper_per_day_can_leave_credit() {
    // new_cost = 120.00 * 15 / 365 = 4.931… → 4.93; credit 6.00; left = 1.07.
    let p = prorate(&input(
        dec!(12.00),
        date(2025, 6, 1),
        date(2025, 7, 1),
        dec!(120.00),
        BillingCycle::Annually,
        date(2025, 6, 16),
    ))
    .expect("valid input");
    assert_eq!(p.new_cost, dec!(4.93));
    assert_eq!(p.amount_due, dec!(0));
    assert_eq!(p.credit_left, dec!(1.07));
}

#[test]
fn new_cycle_days_for_each_cycle_from_a_month_end_start() {
    // Starting Jan 31 2025: Feb 28 (28 days), Apr 30 (89), Jul 31 (181), Jan 31 2026 (365).
    let expected = [28, 89, 181, 365];
    for (cycle, days) in BillingCycle::ALL.into_iter().zip(expected) {
        let p = prorate(&input(
            dec!(10),
            date(2025, 1, 31),
            date(2025, 2, 28),
            dec!(10),
            cycle,
            date(2025, 2, 10),
        ))
        .expect("valid input");
        assert_eq!(p.new_cycle_days, days, "{cycle:?}");
    }
}

#[test]
fn upgrade_monthly_to_quarterly() {
    // Apr 1 → May 1 2025 (30 days), 10 left; Apr 1 → Jul 1 is 91 days.
    // credit   = 10.00 * 10 / 30 = 3.333… → 3.33
    // new_cost = 45.00 * 10 / 91 = 4.945… → 4.95
    // due      = 4.95 - 3.33 = 1.62
    let p = prorate(&input(
        dec!(10.00),
        date(2025, 4, 1),
        date(2025, 5, 1),
        dec!(45.00),
        BillingCycle::Quarterly,
        date(2025, 4, 21),
    ))
    .expect("valid input");
    assert_eq!(p.new_cycle_days, 91);
    assert_eq!(p.credit, dec!(3.33));
    assert_eq!(p.new_cost, dec!(4.95));
    assert_eq!(p.amount_due, dec!(1.62));
}

#[test]
fn mid_cycle_downgrade_leaves_credit() {
    // 30-day period, 20 days left.
    // credit   = 30.00 * 20 / 30 = 20.00
    // new_cost = 15.00 * 20 / 30 = 10.00
    // nothing due; 10.00 goes to the credit balance.
    let p = prorate(&input(
        dec!(30.00),
        date(2025, 4, 1),
        date(2025, 5, 1),
        dec!(15.00),
        BillingCycle::Monthly,
        date(2025, 4, 11),
    ))
    .expect("valid input");
    assert_eq!(p.days_remaining, 20);
    assert_eq!(p.credit, dec!(20.00));
    assert_eq!(p.new_cost, dec!(10.00));
    assert_eq!(p.amount_due, dec!(0));
    assert_eq!(p.credit_left, dec!(10.00));
    assert_eq!(p.credit_left, p.credit - p.new_cost);
}

#[test]
fn downgrade_with_rounding_adds_up_exactly() {
    // 31-day period (Jan 2025), 7 days left.
    // credit   = 19.99 * 7 / 31 = 4.5138… → 4.51
    // new_cost =  9.99 * 7 / 31 = 2.2558… → 2.26
    // left     = 4.51 - 2.26 = 2.25
    let p = prorate(&input(
        dec!(19.99),
        date(2025, 1, 1),
        date(2025, 2, 1),
        dec!(9.99),
        BillingCycle::Monthly,
        date(2025, 1, 25),
    ))
    .expect("valid input");
    assert_eq!(p.days_in_period, 31);
    assert_eq!(p.days_remaining, 7);
    assert_eq!(p.credit, dec!(4.51));
    assert_eq!(p.new_cost, dec!(2.26));
    assert_eq!(p.credit_left, dec!(2.25));
    assert_eq!(p.amount_due, dec!(0));
}

#[test]
fn today_on_period_start_credits_the_whole_price() {
    // 30 of 30 days left: credit 10.00, new_cost 20.00, due 10.00.
    let p = prorate(&input(
        dec!(10.00),
        date(2025, 4, 1),
        date(2025, 5, 1),
        dec!(20.00),
        BillingCycle::Monthly,
        date(2025, 4, 1),
    ))
    .expect("valid input");
    assert_eq!(p.days_remaining, 30);
    assert_eq!(p.credit, dec!(10.00));
    assert_eq!(p.new_cost, dec!(20.00));
    assert_eq!(p.amount_due, dec!(10.00));
    assert_eq!(p.credit_left, dec!(0));
}

#[test]
fn today_on_period_end_is_all_zero() {
    let p = prorate(&input(
        dec!(10.00),
        date(2025, 4, 1),
        date(2025, 5, 1),
        dec!(20.00),
        BillingCycle::Monthly,
        date(2025, 5, 1),
    ))
    .expect("valid input");
    assert_eq!(
        p,
        Proration {
            days_in_period: 30,
            days_remaining: 0,
            credit: dec!(0),
            new_cycle_days: 30,
            new_cost: dec!(0),
            amount_due: dec!(0),
            credit_left: dec!(0),
            next_due: date(2025, 5, 1),
        }
    );
}

#[test]
fn today_after_period_end_is_all_zero() {
    let p = prorate(&input(
        dec!(10.00),
        date(2025, 4, 1),
        date(2025, 5, 1),
        dec!(20.00),
        BillingCycle::Monthly,
        date(2025, 6, 15),
    ))
    .expect("valid input");
    assert_eq!(p.days_remaining, 0);
    assert_eq!(p.credit, dec!(0));
    assert_eq!(p.new_cost, dec!(0));
    assert_eq!(p.amount_due, dec!(0));
    assert_eq!(p.credit_left, dec!(0));
    assert_eq!(p.next_due, date(2025, 5, 1));
}

#[test]
fn today_before_period_start_counts_the_whole_period() {
    let p = prorate(&input(
        dec!(10.00),
        date(2025, 4, 1),
        date(2025, 5, 1),
        dec!(20.00),
        BillingCycle::Monthly,
        date(2025, 3, 15),
    ))
    .expect("valid input");
    assert_eq!(p.days_remaining, 30);
    assert_eq!(p.credit, dec!(10.00));
    assert_eq!(p.new_cost, dec!(20.00));
    assert_eq!(p.amount_due, dec!(10.00));
}

#[test]
fn leap_february_period_has_29_days() {
    // Feb 1 → Mar 1 2028 is 29 days; on Feb 20 10 days are left (20th..29th).
    // credit   = 29.00 * 10 / 29 = 10.00
    // new_cost = 58.00 * 10 / 29 = 20.00 (new cycle Feb 1 → Mar 1 is also 29 days)
    // due      = 10.00
    let p = prorate(&input(
        dec!(29.00),
        date(2028, 2, 1),
        date(2028, 3, 1),
        dec!(58.00),
        BillingCycle::Monthly,
        date(2028, 2, 20),
    ))
    .expect("valid input");
    assert_eq!(p.days_in_period, 29);
    assert_eq!(p.days_remaining, 10);
    assert_eq!(p.new_cycle_days, 29);
    assert_eq!(p.credit, dec!(10.00));
    assert_eq!(p.new_cost, dec!(20.00));
    assert_eq!(p.amount_due, dec!(10.00));
}

#[test]
fn common_february_period_has_28_days() {
    // Feb 1 → Mar 1 2027 is 28 days; on Feb 20 9 days are left.
    // credit   = 28.00 * 9 / 28 = 9.00
    // new_cost = 56.00 * 9 / 28 = 18.00
    let p = prorate(&input(
        dec!(28.00),
        date(2027, 2, 1),
        date(2027, 3, 1),
        dec!(56.00),
        BillingCycle::Monthly,
        date(2027, 2, 20),
    ))
    .expect("valid input");
    assert_eq!(p.days_in_period, 28);
    assert_eq!(p.days_remaining, 9);
    assert_eq!(p.new_cycle_days, 28);
    assert_eq!(p.credit, dec!(9.00));
    assert_eq!(p.new_cost, dec!(18.00));
    assert_eq!(p.amount_due, dec!(9.00));
}

#[test]
fn exact_midpoints_round_away_from_zero() {
    // 30-day period, 15 days left: exactly half of each price.
    // credit   = 10.05 * 15 / 30 = 5.025  → 5.03 (banker's rounding would give 5.02)
    // new_cost = 20.05 * 15 / 30 = 10.025 → 10.03 (banker's: 10.02)
    // due      = 10.03 - 5.03 = 5.00
    let p = prorate(&input(
        dec!(10.05),
        date(2025, 4, 1),
        date(2025, 5, 1),
        dec!(20.05),
        BillingCycle::Monthly,
        date(2025, 4, 16),
    ))
    .expect("valid input");
    assert_eq!(p.days_remaining, 15);
    assert_eq!(p.credit, dec!(5.03));
    assert_eq!(p.new_cost, dec!(10.03));
    assert_eq!(p.amount_due, dec!(5.00));
    // The test is only meaningful if the default strategy would have disagreed.
    assert_eq!(dec!(5.025).round_dp(2), dec!(5.02));
    assert_eq!(dec!(10.025).round_dp(2), dec!(10.02));
}

#[test]
fn sub_cent_midpoint_rounds_up_to_a_cent() {
    // credit = 0.25 * 3 / 30 = 0.025 → 0.03; new_cost = 0.05 * 3 / 30 = 0.005 → 0.01.
    let p = prorate(&input(
        dec!(0.25),
        date(2025, 4, 1),
        date(2025, 5, 1),
        dec!(0.05),
        BillingCycle::Monthly,
        date(2025, 4, 28),
    ))
    .expect("valid input");
    assert_eq!(p.days_remaining, 3);
    assert_eq!(p.credit, dec!(0.03));
    assert_eq!(p.new_cost, dec!(0.01));
    assert_eq!(p.credit_left, dec!(0.02));
}

#[test]
fn free_new_plan_credits_everything_unused() {
    // credit = 10.00 * 10 / 30 = 3.33; the free plan costs nothing.
    let p = prorate(&input(
        dec!(10.00),
        date(2025, 4, 1),
        date(2025, 5, 1),
        dec!(0),
        BillingCycle::Monthly,
        date(2025, 4, 21),
    ))
    .expect("valid input");
    assert_eq!(p.new_cost, dec!(0));
    assert_eq!(p.amount_due, dec!(0));
    assert_eq!(p.credit_left, p.credit);
    assert_eq!(p.credit_left, dec!(3.33));
}

#[test]
fn free_current_plan_charges_the_full_new_cost() {
    let p = prorate(&input(
        dec!(0),
        date(2025, 4, 1),
        date(2025, 5, 1),
        dec!(20.00),
        BillingCycle::Monthly,
        date(2025, 4, 21),
    ))
    .expect("valid input");
    assert_eq!(p.credit, dec!(0));
    assert_eq!(p.amount_due, dec!(6.67));
    assert_eq!(p.credit_left, dec!(0));
}

#[test]
fn results_always_add_up_and_are_never_both_positive() {
    let period_start = date(2025, 1, 31);
    let period_end = add_cycle(period_start, BillingCycle::Monthly, 1);
    for cycle in BillingCycle::ALL {
        let mut today = date(2025, 1, 25);
        while today <= date(2025, 3, 5) {
            let p = prorate(&input(
                dec!(17.49),
                period_start,
                period_end,
                dec!(52.99),
                cycle,
                today,
            ))
            .expect("valid input");
            assert!(p.amount_due >= Decimal::ZERO && p.credit_left >= Decimal::ZERO);
            assert!(p.amount_due.is_zero() || p.credit_left.is_zero());
            assert_eq!(p.amount_due - p.credit_left, p.new_cost - p.credit);
            assert!(p.credit <= dec!(17.49));
            assert!(p.credit.scale() <= 2 && p.new_cost.scale() <= 2);
            assert_eq!(p.next_due, period_end);
            today = today.succ_opt().expect("in range");
        }
    }
}

#[test]
fn empty_or_inverted_period_is_rejected() {
    let same_day = input(
        dec!(10),
        date(2025, 4, 1),
        date(2025, 4, 1),
        dec!(20),
        BillingCycle::Monthly,
        date(2025, 4, 1),
    );
    assert_eq!(prorate(&same_day), Err(ProrationError::EmptyPeriod));
    let inverted = ProrationInput {
        period_end: date(2025, 3, 1),
        ..same_day
    };
    assert_eq!(prorate(&inverted), Err(ProrationError::EmptyPeriod));
}

#[test]
fn negative_prices_are_rejected() {
    let valid = input(
        dec!(10),
        date(2025, 4, 1),
        date(2025, 5, 1),
        dec!(20),
        BillingCycle::Monthly,
        date(2025, 4, 10),
    );
    let negative_current = ProrationInput {
        current_price: dec!(-0.01),
        ..valid
    };
    assert_eq!(
        prorate(&negative_current),
        Err(ProrationError::NegativePrice)
    );
    let negative_new = ProrationInput {
        new_price: dec!(-5),
        ..valid
    };
    assert_eq!(prorate(&negative_new), Err(ProrationError::NegativePrice));
}

#[test]
fn negative_zero_price_is_accepted_as_free() {
    let p = prorate(&input(
        dec!(10),
        date(2025, 4, 1),
        date(2025, 5, 1),
        -dec!(0),
        BillingCycle::Monthly,
        date(2025, 4, 21),
    ))
    .expect("-0 is zero");
    assert!(p.new_cost.is_zero());
}

#[test]
fn absurd_amounts_report_overflow_instead_of_panicking() {
    let p = prorate(&input(
        Decimal::MAX,
        date(2025, 4, 1),
        date(2025, 5, 1),
        dec!(1),
        BillingCycle::Monthly,
        date(2025, 4, 21),
    ));
    assert_eq!(p, Err(ProrationError::Overflow));
}
