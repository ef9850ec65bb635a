//! What a filter that does not parse reports: where (1-based column, in characters) and what
//! was expected there.

/// A filter expression that does not parse or does not make sense (an unknown attribute, an
/// operator the attribute does not take, a bad regular expression).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("column {column}: {message}")]
pub struct FilterError {
    /// 1-based, in characters (not bytes): where the problem starts. One past the end when
    /// the expression stops too early.
    pub column: usize,
    pub message: String,
}

impl FilterError {
    pub(crate) fn new(column: usize, message: impl Into<String>) -> FilterError {
        FilterError {
            column,
            message: message.into(),
        }
    }
}
