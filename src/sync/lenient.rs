//! Serde helpers for what servers disagree on: ids and times as JSON numbers or strings
//! (FreshRSS sends strings, TT-RSS's Fever plugin some times as strings), flags as booleans,
//! 0/1 or "t"/"f", id lists as "1,2,3" or as arrays.

use chrono::{DateTime, Utc};
use serde::de::{self, Deserialize, Deserializer};
use serde_json::Value;

/// A non-negative integer from a number or a string of digits.
pub(crate) fn from_value_u64(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                .map(|f| f as u64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn describe(v: &Value) -> String {
    let text = v.to_string();
    let short: String = text.chars().take(40).collect();
    crate::text::sanitize::for_terminal(&short)
}

pub(crate) fn u64<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let v = Value::deserialize(d)?;
    from_value_u64(&v).ok_or_else(|| de::Error::custom(format!("not an id: {}", describe(&v))))
}

/// An id that may be missing or null (then 0, TT-RSS's "no feed").
pub(crate) fn u64_or_zero<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let v = Value::deserialize(d)?;
    match v {
        Value::Null => Ok(0),
        Value::String(ref s) if s.trim().is_empty() => Ok(0),
        _ => from_value_u64(&v)
            .ok_or_else(|| de::Error::custom(format!("not an id: {}", describe(&v)))),
    }
}

/// Unix seconds from a number or a string; 0, null, "" and out-of-range values are no time.
pub(crate) fn time<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    let v = Value::deserialize(d)?;
    let secs = match &v {
        Value::Null => return Ok(None),
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) if s.trim().is_empty() => return Ok(None),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    };
    let secs = secs.ok_or_else(|| de::Error::custom(format!("not a time: {}", describe(&v))))?;
    Ok((secs > 0)
        .then(|| DateTime::from_timestamp(secs, 0))
        .flatten())
}

/// A flag from `true`/`false`, 0/1, "0"/"1", "t"/"f", "true"/"false"; null is false.
pub(crate) fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let v = Value::deserialize(d)?;
    match &v {
        Value::Null => Ok(false),
        Value::Bool(b) => Ok(*b),
        Value::Number(n) => Ok(n.as_f64().is_some_and(|f| f != 0.0)),
        Value::String(s) => match s.trim() {
            "1" | "t" | "true" => Ok(true),
            "0" | "f" | "false" | "" => Ok(false),
            _ => Err(de::Error::custom(format!("not a flag: {}", describe(&v)))),
        },
        _ => Err(de::Error::custom(format!("not a flag: {}", describe(&v)))),
    }
}

/// Text that may be null, a number or a string; empty is none. Not sanitized here.
pub(crate) fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(match v {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
    .filter(|s| !s.trim().is_empty()))
}

/// An id list: "1,2,3" (the Fever spec), or a JSON array of numbers or strings.
pub(crate) fn id_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u64>, D::Error> {
    let v = Value::deserialize(d)?;
    let bad = |piece: &str| {
        de::Error::custom(format!(
            "not an id in a list: {}",
            describe(&Value::String(piece.to_string()))
        ))
    };
    match &v {
        Value::Null => Ok(Vec::new()),
        Value::String(s) => s
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| p.parse().map_err(|_| bad(p)))
            .collect(),
        Value::Array(items) => items
            .iter()
            .map(|i| from_value_u64(i).ok_or_else(|| bad(&i.to_string())))
            .collect(),
        Value::Number(_) => from_value_u64(&v)
            .map(|n| vec![n])
            .ok_or_else(|| bad(&v.to_string())),
        _ => Err(bad(&v.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    struct Row {
        #[serde(deserialize_with = "super::u64")]
        id: u64,
        #[serde(deserialize_with = "super::time", default)]
        at: Option<chrono::DateTime<chrono::Utc>>,
        #[serde(deserialize_with = "super::flag", default)]
        on: bool,
        #[serde(deserialize_with = "super::id_list", default)]
        ids: Vec<u64>,
    }

    fn row(json: &str) -> Row {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn ids_are_read_from_numbers_and_from_strings() {
        assert_eq!(row(r#"{"id": 42}"#).id, 42);
        assert_eq!(row(r#"{"id": "42"}"#).id, 42);
        assert_eq!(
            row(r#"{"id": "1700000000123456"}"#).id,
            1_700_000_000_123_456
        );
        assert!(serde_json::from_str::<Row>(r#"{"id": "x1"}"#).is_err());
        assert!(serde_json::from_str::<Row>(r#"{"id": -3}"#).is_err());
    }

    #[test]
    fn times_are_read_from_numbers_and_from_strings_and_zero_is_no_time() {
        let t = chrono::DateTime::from_timestamp(1_704_103_200, 0);
        assert_eq!(row(r#"{"id":1,"at":1704103200}"#).at, t);
        assert_eq!(row(r#"{"id":1,"at":"1704103200"}"#).at, t);
        assert_eq!(row(r#"{"id":1,"at":0}"#).at, None);
        assert_eq!(row(r#"{"id":1,"at":""}"#).at, None);
        assert_eq!(row(r#"{"id":1,"at":null}"#).at, None);
        assert!(serde_json::from_str::<Row>(r#"{"id":1,"at":"soon"}"#).is_err());
    }

    #[test]
    fn flags_accept_booleans_numbers_and_postgres_letters() {
        for (json, want) in [
            ("true", true),
            ("false", false),
            ("1", true),
            ("0", false),
            (r#""1""#, true),
            (r#""0""#, false),
            (r#""t""#, true),
            (r#""f""#, false),
            ("null", false),
        ] {
            assert_eq!(
                row(&format!(r#"{{"id":1,"on":{json}}}"#)).on,
                want,
                "{json}"
            );
        }
    }

    #[test]
    fn id_lists_come_as_comma_strings_or_arrays() {
        assert_eq!(row(r#"{"id":1,"ids":"3,1,2"}"#).ids, vec![3, 1, 2]);
        assert_eq!(row(r#"{"id":1,"ids":""}"#).ids, Vec::<u64>::new());
        assert_eq!(row(r#"{"id":1,"ids":" 5 , 6 ,"}"#).ids, vec![5, 6]);
        assert_eq!(row(r#"{"id":1,"ids":[7,"8"]}"#).ids, vec![7, 8]);
        assert!(serde_json::from_str::<Row>(r#"{"id":1,"ids":"1,x"}"#).is_err());
    }
}
