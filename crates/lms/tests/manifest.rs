//! The packages' manifests are well-formed XML, use each version's spelling, and list
//! every file the zip holds.

use aesop_lms::{manifest, package, Version};
use std::io::Read;

fn parse(xml: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("not well-formed: {e}\n{xml}"))
}

#[test]
fn both_versions_are_well_formed_and_launch_index_html() {
    let files = vec![
        "index.html".to_string(),
        "content/course.json".into(),
        "a&b.js".into(),
    ];
    for (version, attr, ns) in [
        (
            Version::Scorm12,
            "scormtype",
            "http://www.adlnet.org/xsd/adlcp_rootv1p2",
        ),
        (
            Version::Scorm2004,
            "scormType",
            "http://www.adlnet.org/xsd/adlcp_v1p3",
        ),
    ] {
        let xml = manifest(version, "T & <T>", &files, 80);
        let doc = parse(&xml);
        let resource = doc
            .descendants()
            .find(|n| n.has_tag_name("resource"))
            .expect("a resource");
        assert_eq!(resource.attribute("href"), Some("index.html"));
        assert_eq!(resource.attribute((ns, attr)), Some("sco"), "{version:?}");
        let listed: Vec<&str> = resource
            .children()
            .filter(|n| n.has_tag_name("file"))
            .filter_map(|n| n.attribute("href"))
            .collect();
        assert_eq!(listed, ["index.html", "content/course.json", "a&b.js"]);
    }
    assert!(manifest(Version::Scorm12, "T", &files, 80)
        .contains("<adlcp:masteryscore>80</adlcp:masteryscore>"));
    assert!(manifest(Version::Scorm2004, "T", &files, 80)
        .contains("<imsss:minNormalizedMeasure>0.80</imsss:minNormalizedMeasure>"));
}

#[test]
fn the_zip_holds_the_manifest_at_its_root_and_every_listed_file() {
    let dir = std::env::temp_dir().join(format!("aesop-lms-test-{}", std::process::id()));
    let dist = dir.join("dist");
    std::fs::create_dir_all(dist.join("content/module-2")).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html>").unwrap();
    std::fs::write(dist.join("content/course.json"), "{}").unwrap();
    std::fs::write(dist.join("content/module-2/lesson-1.md"), "# L1").unwrap();
    for version in [Version::Scorm12, Version::Scorm2004] {
        let zip_path = dir.join(format!("{}.zip", version.file_tag()));
        package(&dist, &zip_path, version, "AESOP", 80).unwrap();
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
        let mut names: Vec<String> = zip.file_names().map(String::from).collect();
        names.sort();
        assert_eq!(
            names,
            [
                "content/course.json",
                "content/module-2/lesson-1.md",
                "imsmanifest.xml",
                "index.html"
            ]
        );
        let mut xml = String::new();
        zip.by_name("imsmanifest.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        let doc = parse(&xml);
        let mut listed: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("file"))
            .filter_map(|n| n.attribute("href"))
            .collect();
        listed.push("imsmanifest.xml");
        listed.sort();
        assert_eq!(listed, names);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
