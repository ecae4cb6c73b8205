//! The progress bars and spinners of long commands (`import`, `demo`,
//! `join`, `sync`): one look for all of them. Counts are grouped by
//! thousands ("12,288/100,000") and rates are whole items per second
//! (indicatif's own `{per_sec}` shows four decimals). A bar draws on
//! stderr only when it is a terminal, so scripts and `--json` see nothing.

use std::time::Duration;

use indicatif::{HumanCount, HumanFloatCount, ProgressBar, ProgressState, ProgressStyle};

/// A bar of records moved in a sync session, with their rate.
pub const RECORDS: &str = "{msg} [{bar:30}] {count} records ({rate})";
/// A bar of the views catching up after a large transfer.
pub const VIEWS: &str = "{msg} [{bar:30}] {count}";
/// A bar of items stored (an import, sample data), with rate and time left.
pub const ITEMS: &str = "{msg} [{bar:30}] {count} ({rate}, {eta} left)";

/// A bar style from `template`, which may use `{count}` ("done/total",
/// grouped by thousands) and `{rate}` (whole items per second).
pub fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .with_key(
            "count",
            |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(
                    w,
                    "{}/{}",
                    HumanCount(state.pos()),
                    HumanCount(state.len().unwrap_or(0))
                );
            },
        )
        .with_key(
            "rate",
            |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0}/s", HumanFloatCount(state.per_sec()));
            },
        )
        .progress_chars("=> ")
}

/// A spinner for work whose size is not known, saying what it does. It
/// becomes a bar drawn with `template` once [`advance`] gives it a total
/// (a bar of 0/0 would draw full before any work is done).
pub fn spinner(msg: &str) -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.set_message(msg.to_string());
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// Turns `bar` (a spinner or a bar) into a spinner saying `msg`, waiting
/// for a new total (the next session of a sync).
pub fn restart(bar: &ProgressBar, msg: String) {
    bar.set_message(msg);
    bar.set_style(ProgressStyle::default_spinner());
    bar.unset_length();
    bar.reset();
    bar.enable_steady_tick(Duration::from_millis(120));
}

/// Moves `bar` to `done` of `total`; the first total turns a spinner into a
/// bar drawn with `template`.
pub fn advance(bar: &ProgressBar, template: &str, done: u64, total: u64) {
    if total == 0 {
        return;
    }
    if bar.length().unwrap_or(0) == 0 {
        bar.disable_steady_tick();
        bar.set_style(style(template));
    }
    bar.set_length(total);
    bar.set_position(done);
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use indicatif::{ProgressDrawTarget, TermLike};

    use super::*;

    /// A terminal that keeps what is written to it.
    #[derive(Debug, Default, Clone)]
    struct Screen(Arc<Mutex<Vec<String>>>);

    impl TermLike for Screen {
        fn width(&self) -> u16 {
            120
        }
        fn move_cursor_up(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn write_line(&self, s: &str) -> std::io::Result<()> {
            self.0.lock().unwrap().push(s.to_string());
            Ok(())
        }
        fn write_str(&self, s: &str) -> std::io::Result<()> {
            self.0.lock().unwrap().push(s.to_string());
            Ok(())
        }
        fn clear_line(&self) -> std::io::Result<()> {
            Ok(())
        }
        fn flush(&self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn drawn(template: &str, pos: u64, len: u64) -> String {
        let screen = Screen::default();
        let bar = ProgressBar::with_draw_target(
            Some(len),
            ProgressDrawTarget::term_like(Box::new(screen.clone())),
        );
        bar.set_style(style(template));
        bar.set_message("storing people.vcf");
        bar.set_position(pos);
        bar.tick();
        let written = screen.0.lock().unwrap().clone();
        // The bar's line (the rest is padding and clearing).
        let bar_line = written.into_iter().rfind(|s| s.contains('['));
        bar_line.unwrap_or_default().trim_end().to_string()
    }

    #[test]
    fn counts_are_grouped_by_thousands() {
        let line = drawn(VIEWS, 12_288, 1_000_000);
        assert!(line.starts_with("storing people.vcf ["), "{line}");
        assert!(line.ends_with("] 12,288/1,000,000"), "{line}");
    }

    #[test]
    fn a_spinner_becomes_a_bar_once_the_total_is_known() {
        let screen = Screen::default();
        let bar = ProgressBar::with_draw_target(
            None,
            ProgressDrawTarget::term_like(Box::new(screen.clone())),
        );
        bar.set_message("reading people.vcf");
        advance(&bar, ITEMS, 0, 0);
        assert_eq!(bar.length(), None, "no total yet: still a spinner");
        advance(&bar, ITEMS, 250, 1_000);
        bar.tick();
        let written = screen.0.lock().unwrap().clone();
        let line = written.into_iter().rfind(|s| s.contains('[')).unwrap();
        assert!(line.contains("] 250/1,000 ("), "{line}");
    }

    #[test]
    fn rates_are_whole_items_per_second() {
        let line = drawn(RECORDS, 4_096, 100_000);
        assert!(line.contains("4,096/100,000 records ("), "{line}");
        let rate = line.rsplit('(').next().unwrap();
        assert!(rate.ends_with("/s)"), "{line}");
        assert!(!rate.contains('.'), "a whole number: {line}");
    }
}
