//! Invoice number formats (`PORTICO_INVOICE_NUMBER_FORMAT`): literal text with `{year}` and
//! `{seq}` (or `{seq:N}`, zero-padded to N digits). With `{year}` the sequence starts again each
//! year; without it, one sequence runs forever. Default `{year}-{seq:5}`: "2026-00042".

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Year,
    Seq(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberFormat {
    parts: Vec<Part>,
}

impl Default for NumberFormat {
    fn default() -> Self {
        Self::parse("{year}-{seq:5}").expect("the default format parses")
    }
}

/// Numbers are stored in a 32-character column.
const MAX_LEN: usize = 32;

impl NumberFormat {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let mut parts = Vec::new();
        let mut rest = raw;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_owned()));
            }
            let close = rest[open..].find('}').ok_or("a `{` is not closed")? + open;
            parts.push(match &rest[open + 1..close] {
                "year" => Part::Year,
                "seq" => Part::Seq(1),
                other => match other.strip_prefix("seq:").map(str::parse::<usize>) {
                    Some(Ok(n)) if (1..=12).contains(&n) => Part::Seq(n),
                    _ => {
                        return Err(format!(
                            "unknown placeholder {{{other}}} (use {{year}}, {{seq}} or {{seq:N}} with N from 1 to 12)"
                        ))
                    }
                },
            });
            rest = &rest[close + 1..];
        }
        if rest.contains('}') {
            return Err("a `}` has no matching `{`".into());
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_owned()));
        }
        let seqs = parts.iter().filter(|p| matches!(p, Part::Seq(_))).count();
        if seqs != 1 {
            return Err("must contain {seq} exactly once".into());
        }
        let text: usize = parts
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.chars().count(),
                Part::Year => 4,
                Part::Seq(n) => *n,
            })
            .sum();
        if text > MAX_LEN - 4 {
            return Err(format!(
                "is too long (numbers have at most {MAX_LEN} characters)"
            ));
        }
        Ok(Self { parts })
    }

    /// The sequence a number is drawn from: one per year when the format shows the year.
    pub fn sequence_name(&self, year: i32) -> String {
        if self.parts.contains(&Part::Year) {
            format!("invoice:{year}")
        } else {
            "invoice".into()
        }
    }

    pub fn format(&self, year: i32, n: i64) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.clone(),
                Part::Year => year.to_string(),
                Part::Seq(w) => format!("{n:0w$}"),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_year_dash_five_digits() {
        let f = NumberFormat::default();
        assert_eq!(f.format(2026, 42), "2026-00042");
        assert_eq!(f.format(2026, 123_456), "2026-123456");
        assert_eq!(f.sequence_name(2026), "invoice:2026");
    }

    #[test]
    fn formats_with_text_and_without_a_year() {
        let f = NumberFormat::parse("INV/{seq:6}").unwrap();
        assert_eq!(f.format(2026, 7), "INV/000007");
        assert_eq!(f.sequence_name(2026), f.sequence_name(2027));
        let f = NumberFormat::parse("F{year}{seq}").unwrap();
        assert_eq!(f.format(2027, 3), "F20273");
        assert_eq!(f.sequence_name(2027), "invoice:2027");
    }

    #[test]
    fn bad_formats_are_refused_with_a_reason() {
        for bad in [
            "{year}",
            "{seq}{seq}",
            "{seq:0}",
            "{seq:13}",
            "{month}-{seq}",
            "{seq",
            "seq}",
            "A-VERY-LONG-PREFIX-FOR-NUMBERS-{seq:5}",
        ] {
            assert!(NumberFormat::parse(bad).is_err(), "{bad} should be refused");
        }
    }
}
