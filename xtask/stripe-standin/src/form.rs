//! Stripe's request encoding: `application/x-www-form-urlencoded` with bracketed keys
//! (`metadata[invoice]=5`, `payment_method_types[0]=card`, `payment_method_types[]=card`,
//! `expand[0]=latest_charge`), for POST bodies and GET query strings alike.

use std::collections::BTreeMap;

use crate::error::ApiError;

/// Decodes a form body or query string into its (key, value) pairs, keys with their brackets.
pub(crate) fn decode(raw: &str) -> Result<Vec<(String, String)>, ApiError> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(raw).map_err(|e| {
        ApiError::invalid(format!(
            "Invalid request: the body could not be decoded as application/x-www-form-urlencoded ({e})."
        ))
    })
}

/// The top-level parameter name of a key: `metadata[invoice]` -> `metadata`.
pub(crate) fn top_level(key: &str) -> &str {
    key.split('[').next().unwrap_or(key)
}

/// The parameters of one request, read through the names its endpoint declares.
///
/// Every accessor checks that the name is among the endpoint's declared `reads` (which a unit
/// test checks against spec_params.json), so a handler cannot quietly read a parameter that
/// Stripe's API does not have: such a read panics, and the request answers 500.
pub(crate) struct Params {
    pairs: Vec<(String, String)>,
    reads: &'static [&'static str],
}

impl Params {
    pub(crate) fn new(pairs: Vec<(String, String)>, reads: &'static [&'static str]) -> Self {
        Params { pairs, reads }
    }

    fn declared(&self, name: &str) {
        assert!(
            self.reads.contains(&name),
            "stripe stand-in bug: a handler read the parameter `{name}`, which its endpoint does not declare"
        );
    }

    /// The value of a plain (unbracketed) parameter; the last one wins, as in Stripe.
    pub(crate) fn str(&self, name: &str) -> Option<&str> {
        self.declared(name);
        self.pairs
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Like [`Params::str`], but an empty value counts as absent.
    pub(crate) fn non_empty(&self, name: &str) -> Option<&str> {
        self.str(name).filter(|v| !v.is_empty())
    }

    /// A hash parameter one level deep: `metadata[a]=1&metadata[b]=2` -> {a: 1, b: 2}.
    /// Empty values are dropped (in Stripe an empty metadata value unsets the key).
    pub(crate) fn map(&self, name: &str) -> BTreeMap<String, String> {
        self.declared(name);
        let mut out = BTreeMap::new();
        for (k, v) in &self.pairs {
            let Some(rest) = k.strip_prefix(name).and_then(|r| r.strip_prefix('[')) else {
                continue;
            };
            let Some(sub) = rest.strip_suffix(']') else {
                continue;
            };
            if sub.contains('[') || sub.contains(']') {
                continue;
            }
            if v.is_empty() {
                out.remove(sub);
            } else {
                out.insert(sub.to_string(), v.clone());
            }
        }
        out
    }

    /// An array parameter: `name[0]=a&name[1]=b`, `name[]=a&name[]=b` or a plain `name=a`.
    pub(crate) fn list(&self, name: &str) -> Vec<String> {
        self.declared(name);
        let mut indexed: Vec<(usize, usize, String)> = Vec::new();
        for (pos, (k, v)) in self.pairs.iter().enumerate() {
            if k == name {
                indexed.push((usize::MAX, pos, v.clone()));
                continue;
            }
            let Some(rest) = k.strip_prefix(name).and_then(|r| r.strip_prefix('[')) else {
                continue;
            };
            let Some(index) = rest.strip_suffix(']') else {
                continue;
            };
            if index.is_empty() {
                indexed.push((usize::MAX, pos, v.clone()));
            } else if let Ok(i) = index.parse::<usize>() {
                indexed.push((i, pos, v.clone()));
            }
        }
        indexed.sort_by_key(|(i, pos, _)| (*i, *pos));
        indexed.into_iter().map(|(_, _, v)| v).collect()
    }

    /// A boolean parameter ("true" or "false").
    pub(crate) fn bool(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.str(name) {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(other) => Err(ApiError::invalid(format!("Invalid boolean: {other}")).param(name)),
        }
    }

    /// An integer parameter.
    pub(crate) fn int(&self, name: &str) -> Result<Option<i64>, ApiError> {
        match self.str(name) {
            None => Ok(None),
            Some(v) => v.parse::<i64>().map(Some).map_err(|_| {
                ApiError::invalid(format!("Invalid integer: {v}"))
                    .code("parameter_invalid_integer")
                    .param(name)
            }),
        }
    }

    /// The `expand[]` paths.
    pub(crate) fn expand(&self) -> Vec<String> {
        self.list("expand")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: &[&str] = &[
        "metadata",
        "payment_method_types",
        "expand",
        "amount",
        "confirm",
    ];

    fn params(raw: &str) -> Params {
        Params::new(decode(raw).unwrap(), ALL)
    }

    #[test]
    fn bracketed_keys_decode_percent_encoded_or_not() {
        let p = params(
            "metadata%5Binvoice%5D=5&metadata[attempt]=a%20b&payment_method_types%5B0%5D=card\
             &payment_method_types[1]=link&expand[]=latest_charge&amount=100",
        );
        let meta = p.map("metadata");
        assert_eq!(meta.get("invoice").map(String::as_str), Some("5"));
        assert_eq!(meta.get("attempt").map(String::as_str), Some("a b"));
        assert_eq!(p.list("payment_method_types"), ["card", "link"]);
        assert_eq!(p.expand(), ["latest_charge"]);
        assert_eq!(p.int("amount").unwrap(), Some(100));
    }

    #[test]
    fn list_orders_by_index_and_accepts_empty_brackets_or_plain() {
        let p = params("payment_method_types[1]=b&payment_method_types[0]=a");
        assert_eq!(p.list("payment_method_types"), ["a", "b"]);
        let p = params("payment_method_types[]=a&payment_method_types[]=b");
        assert_eq!(p.list("payment_method_types"), ["a", "b"]);
        let p = params("payment_method_types=card");
        assert_eq!(p.list("payment_method_types"), ["card"]);
    }

    #[test]
    fn booleans_and_integers_are_checked() {
        let p = params("confirm=yes&amount=1.5");
        assert!(p.bool("confirm").is_err());
        assert!(p.int("amount").is_err());
        assert_eq!(top_level("metadata[a][b]"), "metadata");
    }

    #[test]
    #[should_panic(expected = "does not declare")]
    fn reading_an_undeclared_parameter_panics() {
        let p = params("amount=1");
        let _ = p.str("currency");
    }
}
