//! The shapes every list query shares, written once: optional filters, and a page newest first
//! after a cursor. Macros because diesel's boxed queries are typed by their table.

/// Narrow a boxed query by each filter that is set: `column => op(Option<value>)` adds
/// `column.op(value)` when the value is `Some`.
macro_rules! narrow {
    ($query:ident; $($column:expr => $op:ident($value:expr)),+ $(,)?) => {
        $(
            if let Some(value) = $value {
                $query = $query.filter($column.$op(value));
            }
        )+
    };
}
pub(crate) use narrow;

/// A page of a boxed query, newest first by (`at`, `id`), after the cursor's position `after`
/// (an `Option<(instant, id)>`).
macro_rules! newest_first {
    ($query:expr, $at:expr, $id:expr, $after:expr, $limit:expr) => {{
        let mut query = $query;
        if let Some((at, id)) = $after {
            query = query.filter($at.lt(at).or($at.eq(at).and($id.lt(id))));
        }
        query.order(($at.desc(), $id.desc())).limit($limit)
    }};
}
pub(crate) use newest_first;
