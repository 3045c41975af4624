//! `cargo run -p aesop-lms --bin package-scorm -- [DIST] [OUT_DIR]`: writes
//! `aesop-scorm12.zip` and `aesop-scorm2004.zip` from a built `dist/`.

use aesop_lms::{package, Version};
use std::path::PathBuf;

/// Must equal the module test's pass mark in content/.
const MASTERY_PERCENT: u32 = 80;

fn main() {
    let mut args = std::env::args().skip(1);
    let dist = PathBuf::from(args.next().unwrap_or_else(|| "dist".into()));
    let out = PathBuf::from(args.next().unwrap_or_else(|| "dist-scorm".into()));
    if !dist.join("index.html").is_file() {
        eprintln!(
            "no built site at {}: run scripts/build.sh first",
            dist.display()
        );
        std::process::exit(2);
    }
    std::fs::create_dir_all(&out).expect("create the output folder");
    for version in [Version::Scorm12, Version::Scorm2004] {
        let zip = out.join(format!("aesop-{}.zip", version.file_tag()));
        match package(
            &dist,
            &zip,
            version,
            "AESOP · How Neural Networks Learn",
            MASTERY_PERCENT,
        ) {
            Ok(files) => println!("{}: {} files", zip.display(), files.len() + 1),
            Err(e) => {
                eprintln!("could not write {}: {e}", zip.display());
                std::process::exit(1);
            }
        }
    }
}
