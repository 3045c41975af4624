//! The 8×8 handwritten digits file (`content/data/digits.txt`, see its README): read into the
//! spec's `Images`, and the run the playground starts from for them.

use crate::spec::Images;

const DIGITS: &str = "0123456789abcdefghijklmnopqrstuvwxyz";

/// Reads the file; a damaged one is refused with its line and what is wrong.
pub fn parse(text: &str) -> Result<Images, String> {
    let mut lines = text.lines().enumerate();
    let (_, head) = lines.next().ok_or("the digits file is empty")?;
    let head: Vec<&str> = head.split_whitespace().collect();
    let number = |s: Option<&&str>| s.and_then(|s| s.parse::<usize>().ok());
    let (Some("digits"), Some(side), Some(max), Some(count)) = (
        head.first().copied(),
        number(head.get(1)),
        number(head.get(2)),
        number(head.get(3)),
    ) else {
        return Err("line 1: expected `digits <side> <max> <count>`".into());
    };
    if !(1..=32).contains(&side) || !(1..DIGITS.len()).contains(&max) || count > 100_000 {
        return Err("line 1: side, max or count out of range".into());
    }
    let mut images = Images {
        side,
        max: max as u8,
        pixels: Vec::with_capacity(count * side * side),
        labels: Vec::with_capacity(count),
    };
    for (i, line) in lines.filter(|(_, l)| !l.trim().is_empty()) {
        let bad = |why: &str| format!("line {}: {why}", i + 1);
        let (label, pixels) = line.split_once(' ').ok_or_else(|| bad("no label"))?;
        let label: u8 = label
            .parse()
            .map_err(|_| bad("the label is not a number"))?;
        if pixels.len() != side * side {
            return Err(bad(&format!(
                "{} pixels, not {}",
                pixels.len(),
                side * side
            )));
        }
        for c in pixels.chars() {
            match DIGITS[..=max].find(c) {
                Some(v) => images.pixels.push(v as u8),
                None => return Err(bad(&format!("`{c}` is not a pixel value 0 to {max}"))),
            }
        }
        images.labels.push(label);
    }
    if images.len() != count {
        return Err(format!(
            "the header promises {count} images, the file holds {}",
            images.len()
        ));
    }
    Ok(images)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> String {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../content/data/digits.txt");
        std::fs::read_to_string(path).expect("content/data/digits.txt")
    }

    #[test]
    fn the_shipped_file_holds_1797_images_of_ten_digits() {
        let images = parse(&file()).unwrap();
        assert_eq!((images.len(), images.side, images.max), (1797, 8, 16));
        assert_eq!(images.pixels.len(), 1797 * 64);
        let mut counts = [0; 10];
        for &l in &images.labels {
            counts[l as usize] += 1;
        }
        // UCI's test set: 178 to 183 of each digit.
        assert!(counts.iter().all(|c| (174..=183).contains(c)), "{counts:?}");
        // The first image is a 0: dark in its centre, ink around it.
        let first: Vec<u8> = images.pixels[..64].to_vec();
        assert_eq!(images.labels[0], 0);
        assert_eq!(first[3 * 8 + 3], 0);
        assert_eq!(first[3 * 8 + 2], 12);
        assert_eq!(images.scaled(0).nth(2), Some(5.0 / 16.0));
    }

    #[test]
    fn a_damaged_file_names_its_line() {
        let text = file();
        let broken = text.replacen("\n1 000cd5", "\n1 000cz5", 1);
        assert!(parse(&broken).unwrap_err().starts_with("line 3:"));
        let short: String = text.lines().take(10).collect::<Vec<_>>().join("\n");
        assert!(parse(&short).unwrap_err().contains("promises 1797"));
        assert!(parse("pictures 8 16 1").is_err());
    }
}
