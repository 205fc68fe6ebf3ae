//! A page of the dossiers behind a figure without reading the whole period: the period's
//! dossiers are read newest first in chunks that grow, kept when the figure counts them, until the
//! page is full or they run out. Pure: the reading is given, so the walk is tested on its own.
//!
//! A dense figure (total, resolved) fills a page from the first chunk, whatever the volume;
//! a sparse one reads more chunks, each larger, so that even a figure of a handful of dossiers in a
//! province's year takes a few dozen queries, not a million rows at once.

use chrono::NaiveDateTime;

/// A dossier's place in the list: (submitted_at, id), newest first.
pub type Position = (NaiveDateTime, String);

/// Each chunk is this many times the one before (the first is as many as are wanted: all of
/// them, for a figure the database narrows its candidates to), up to [`LAST_CHUNK`].
const GROWTH: i64 = 4;
/// The largest chunk: its rows are held at once.
const LAST_CHUNK: i64 = 65_536;

/// The first `wanted` positions after `after` whose facts `counts`, newest first.
/// `read(after, size)` gives at most `size` candidates strictly after `after`, newest first; one
/// that gives fewer has no more.
pub fn first_members<F, E>(
    mut read: impl FnMut(Option<Position>, i64) -> Result<Vec<(Position, F)>, E>,
    counts: impl Fn(&F) -> bool,
    after: Option<Position>,
    wanted: usize,
) -> Result<Vec<Position>, E> {
    let mut found = Vec::new();
    let (mut after, mut size) = (after, (wanted as i64).clamp(1, LAST_CHUNK));
    loop {
        let chunk = read(after.clone(), size)?;
        let ran_out = (chunk.len() as i64) < size;
        for (position, facts) in chunk {
            if counts(&facts) {
                found.push(position.clone());
            }
            after = Some(position);
        }
        if found.len() >= wanted || ran_out {
            found.truncate(wanted);
            return Ok(found);
        }
        size = (size * GROWTH).min(LAST_CHUNK);
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::convert::Infallible;

    use chrono::NaiveDate;

    use super::*;

    /// Candidates newest first: several per instant (the id breaks the tie), a member every
    /// `every`-th.
    fn candidates(n: usize, every: usize) -> Vec<(Position, bool)> {
        let day = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
        let mut all: Vec<(Position, bool)> = (0..n)
            .map(|i| {
                ((day + chrono::Duration::minutes((i / 3) as i64), format!("id-{i:05}")), i % every == 0)
            })
            .collect();
        all.sort_by(|a, b| b.0.cmp(&a.0));
        all
    }

    /// What the database gives: the candidates strictly after a position, at most `size`.
    fn reader<'a>(
        all: &'a [(Position, bool)],
        sizes: &'a RefCell<Vec<i64>>,
    ) -> impl FnMut(Option<Position>, i64) -> Result<Vec<(Position, bool)>, Infallible> + 'a {
        move |after, size| {
            sizes.borrow_mut().push(size);
            Ok(all
                .iter()
                .filter(|(p, _)| after.as_ref().is_none_or(|a| p < a))
                .take(size as usize)
                .cloned()
                .collect())
        }
    }

    #[test]
    fn pages_walked_from_cursor_to_cursor_are_the_whole_list_in_order() {
        for (n, every) in
            [(0, 1), (1, 1), (255, 1), (256, 7), (257, 300), (5000, 3), (20_000, 997), (1000, 2000)]
        {
            let all = candidates(n, every);
            let whole: Vec<Position> = all.iter().filter(|(_, m)| *m).map(|(p, _)| p.clone()).collect();
            for limit in [1, 7, 50, 500] {
                let sizes = RefCell::new(Vec::new());
                let (mut walked, mut after) = (Vec::new(), None);
                loop {
                    let page = first_members(reader(&all, &sizes), |m| *m, after.clone(), limit + 1).unwrap();
                    let more = page.len() > limit;
                    walked.extend(page.into_iter().take(limit));
                    if !more {
                        break;
                    }
                    after = walked.last().cloned();
                }
                assert_eq!(walked, whole, "{n} candidates, one in {every}, pages of {limit}");
            }
        }
    }

    #[test]
    fn a_dense_figure_reads_one_chunk_and_chunks_grow_to_the_last() {
        let all = candidates(1_000_000, 2);
        let sizes = RefCell::new(Vec::new());
        let page = first_members(reader(&all, &sizes), |m| *m, None, 51).unwrap();
        assert_eq!(page.len(), 51);
        assert_eq!(*sizes.borrow(), [51, 204]);

        let sizes = RefCell::new(Vec::new());
        let page = first_members(reader(&all, &sizes), |_| false, None, 51).unwrap();
        assert!(page.is_empty());
        let sizes = sizes.into_inner();
        assert_eq!(sizes[..7], [51, 204, 816, 3264, 13_056, 52_224, 65_536]);
        // 69,615 in the first six, then 15 chunks of 65,536, the last one short.
        assert_eq!(sizes.len(), 6 + 15);
    }
}
