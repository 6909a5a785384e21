//! One page of a paginated list.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

impl<T> Page<T> {
    /// Nothing to show (e.g. a list the viewer may not see).
    pub fn empty() -> Self {
        Self {
            items: Vec::new(),
            total: 0,
            page: 1,
            per_page: 1,
        }
    }

    pub fn pages(&self) -> u64 {
        self.total.div_ceil(self.per_page).max(1)
    }
}
