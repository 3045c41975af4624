//! Fetches `content/` from the deployed site at run time and hands the texts to the shared
//! loader, so a host edits Markdown and redeploys without a Rust toolchain.

use aesop_course::{ContentError, Course, Errors, Manifest, MANIFEST_PATH};
use futures::future::join_all;
use std::collections::HashMap;

/// Relative to the page, so the site works under any sub-path and inside an LMS package.
const CONTENT_BASE: &str = "content/";

async fn fetch_text(path: &str) -> Result<String, String> {
    let url = format!("{CONTENT_BASE}{path}");
    let response = gloo_net::http::Request::get(&url)
        .send()
        .await
        .map_err(|e| format!("the request failed ({e})"))?;
    if !response.ok() {
        return Err(format!(
            "the server answered {} {}",
            response.status(),
            response.status_text()
        ));
    }
    response
        .text()
        .await
        .map_err(|e| format!("the response could not be read ({e})"))
}

/// The whole course; `Err` only when the manifest itself is unusable. A broken step file
/// becomes that step's errors inside the course.
pub async fn load_course() -> Result<Course, Errors> {
    let manifest_text = fetch_text(MANIFEST_PATH).await.map_err(|why| {
        vec![ContentError::new(
            MANIFEST_PATH,
            0,
            format!("could not be read: {why}"),
        )]
    })?;
    let manifest = Manifest::parse(&manifest_text)?;
    let files = manifest.files();
    let texts = join_all(files.iter().map(|f| fetch_text(f))).await;
    let mut by_path: HashMap<String, Result<String, String>> =
        files.into_iter().zip(texts).collect();
    Ok(Course::assemble(&manifest, |path| {
        by_path
            .remove(path)
            .unwrap_or_else(|| Err("not fetched".into()))
    }))
}
