//! The reader: lessons, home, navigation and progress, small enough for a fast first page.
//! Built with `--no-default-features`; it loads the full app when a learner needs it.

fn main() {
    aesop::start();
}
