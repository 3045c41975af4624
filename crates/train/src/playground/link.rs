//! The playground in a link: every setting as `key=value` after the route, and own points as
//! one compact field, so a link replays the same run (same points, same seed, same numbers).
//!
//! ```text
//! #/module-2/playground?demo=playground&data=own&problem=class&noise=0&test=50&seed=7
//!   &f=x,y&net=4,2&act=tanh&lr=0.03&reg=none&rate=0&batch=10&opt=sgd&loss=ce&epochs=100
//!   &testpts=0&pts=AQAU…
//! ```
//!
//! `pts` holds the points on the 0.01 grid (`snap`): a version byte, a kind byte (0 classes,
//! 1 targets), the count, then each point's x and y as differences from the point before,
//! zigzag varints (a stroke's neighbours differ by a few hundredths: one byte each), then the
//! classes as one bit each, or each target as a zigzag varint difference; base64url without
//! padding. A hand-rolled format: a general compressor (deflate) would cost its code in the
//! app's wasm and gain little on numbers already this small.
//!
//! A link is input from anywhere. Numbers out of range are clamped and said so; words we do
//! not know are named and skipped; points that do not decode are refused whole. Decoding is
//! bounded by `MAX_PTS_CHARS`, so a hostile link cannot hold the tab.

use super::{quantum, Data, Optimizer, Settings, MAX_LAYERS};
use crate::spec::{Activation, Feature, Penalty, Problem, MAX_OWN_POINTS, PLANE};

/// RFC 9110 (§4.1) recommends that every sender and recipient support URIs of at least 8,000
/// octets; a link longer than this may be cut by a browser, a chat app or a mail client.
pub const MAX_LINK: usize = 8000;
/// The longest `pts` field decoded: 5,000 points at the format's worst, with room to spare.
pub const MAX_PTS_CHARS: usize = 64_000;

/// The query after the route: `key=value` pairs joined by `&`, every value URL-safe as is.
pub fn encode(s: &Settings) -> String {
    let mut q: Vec<(String, String)> = vec![
        ("data".into(), s.data.key().into()),
        (
            "problem".into(),
            if s.problem == Problem::Regression {
                "reg"
            } else {
                "class"
            }
            .into(),
        ),
        ("noise".into(), s.noise.to_string()),
        ("test".into(), s.test_percent.to_string()),
        ("seed".into(), s.seed.to_string()),
        (
            "f".into(),
            s.features
                .iter()
                .map(|f| feature_key(*f))
                .collect::<Vec<_>>()
                .join(","),
        ),
        (
            "net".into(),
            s.hidden
                .iter()
                .map(|w| w.to_string())
                .collect::<Vec<_>>()
                .join(","),
        ),
        ("act".into(), activation_key(s.activation).into()),
        ("lr".into(), s.lr.to_string()),
        (
            "reg".into(),
            match s.penalty {
                None => "none",
                Some(Penalty::L1) => "l1",
                Some(Penalty::L2) => "l2",
            }
            .into(),
        ),
        ("rate".into(), s.rate.to_string()),
        ("batch".into(), s.batch.to_string()),
        ("opt".into(), s.optimizer.key().into()),
        (
            "loss".into(),
            if s.cross_entropy { "ce" } else { "mse" }.into(),
        ),
        ("epochs".into(), s.epochs.to_string()),
        ("testpts".into(), if s.show_test { "1" } else { "0" }.into()),
    ];
    if s.data == Data::Own {
        q.push(("pts".into(), encode_points(&s.points, s.problem)));
    }
    q.into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Settings from a link's pairs, with a note for each value clamped or skipped; `Err` when
/// the link's points cannot be read (then nothing of it is used).
pub fn decode(pairs: &[(String, String)]) -> Result<(Settings, Vec<String>), String> {
    let mut s = Settings::default();
    let mut notes = Vec::new();
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    if let Some(v) = get("data") {
        match Data::from_key(v) {
            Some(d) => s.data = d,
            None => notes.push(format!(
                "unknown data set \"{}\"; using the circle",
                short(v)
            )),
        }
    }
    if s.data == Data::Digits {
        s = Settings::digits();
    }
    if let Some(v) = get("problem") {
        match v {
            "class" => s.problem = Problem::Classification,
            "reg" => s.problem = Problem::Regression,
            _ => notes.push(format!("unknown problem type \"{}\"", short(v))),
        }
    }
    let number = |key: &str, lo: f64, hi: f64, notes: &mut Vec<String>| -> Option<f64> {
        let v = get(key)?;
        match v.parse::<f64>() {
            Ok(x) if x.is_finite() => {
                let c = x.clamp(lo, hi);
                if c != x {
                    notes.push(format!("{key} {} is out of range; set to {c}", short(v)));
                }
                Some(c)
            }
            _ => {
                notes.push(format!(
                    "{key} \"{}\" is not a number; kept the default",
                    short(v)
                ));
                None
            }
        }
    };
    if let Some(v) = number("noise", 0.0, 50.0, &mut notes) {
        s.noise = v.round() as u8;
    }
    if let Some(v) = number("test", 10.0, 90.0, &mut notes) {
        s.test_percent = v.round() as u8;
    }
    if let Some(v) = number("seed", 0.0, u32::MAX as f64, &mut notes) {
        s.seed = v as u32;
    }
    if let Some(v) = number("lr", 1e-5, 10.0, &mut notes) {
        s.lr = v;
    }
    if let Some(v) = number("rate", 0.0, 10.0, &mut notes) {
        s.rate = v as f32;
    }
    if let Some(v) = number("batch", 1.0, 512.0, &mut notes) {
        s.batch = v as usize;
    }
    if let Some(v) = number("epochs", 1.0, 5000.0, &mut notes) {
        s.epochs = v as usize;
    }
    if let Some(v) = get("f") {
        let mut features = Vec::new();
        for key in v.split(',').filter(|k| !k.is_empty()) {
            match Feature::ALL.into_iter().find(|f| feature_key(*f) == key) {
                Some(f) if !features.contains(&f) => features.push(f),
                Some(_) => {}
                None => notes.push(format!("unknown feature \"{}\"", short(key))),
            }
        }
        if features.is_empty() {
            notes.push("no features named; using x and y".into());
        } else {
            s.features = features;
        }
    }
    if let Some(v) = get("net") {
        let mut hidden = Vec::new();
        for w in v.split(',').filter(|w| !w.is_empty()) {
            match w.parse::<usize>() {
                Ok(n) if hidden.len() < MAX_LAYERS => {
                    let c = n.clamp(1, s.max_units());
                    if c != n {
                        notes.push(format!("a layer of {n} units is out of range; set to {c}"));
                    }
                    hidden.push(c);
                }
                Ok(_) => {
                    notes.push(format!(
                        "more than {MAX_LAYERS} hidden layers; kept the first {MAX_LAYERS}"
                    ));
                    break;
                }
                Err(_) => notes.push(format!("layer width \"{}\" is not a number", short(w))),
            }
        }
        s.hidden = hidden;
    }
    if let Some(v) = get("act") {
        match ACTIVATIONS.iter().find(|(k, _)| *k == v) {
            Some((_, a)) => s.activation = *a,
            None => notes.push(format!("unknown activation \"{}\"", short(v))),
        }
    }
    if let Some(v) = get("reg") {
        match v {
            "none" => s.penalty = None,
            "l1" => s.penalty = Some(Penalty::L1),
            "l2" => s.penalty = Some(Penalty::L2),
            _ => notes.push(format!("unknown regularization \"{}\"", short(v))),
        }
    }
    if let Some(v) = get("opt") {
        match Optimizer::from_key(v) {
            Some(o) => s.optimizer = o,
            None => notes.push(format!("unknown optimizer \"{}\"", short(v))),
        }
    }
    if let Some(v) = get("loss") {
        match v {
            "ce" => s.cross_entropy = true,
            "mse" => s.cross_entropy = false,
            _ => notes.push(format!("unknown loss \"{}\"", short(v))),
        }
    }
    if let Some(v) = get("testpts") {
        s.show_test = v == "1";
    }
    if s.data == Data::Own {
        match get("pts") {
            Some(text) => {
                let (points, problem) = decode_points(text)?;
                s.points = points;
                s.problem = problem;
            }
            // A link too long for its points goes without them, with the points in a file.
            None => notes.push("this link carries the settings but not the points: open the CSV file that came with it".into()),
        }
    }
    Ok((s, notes))
}

/// A value quoted in a note, cut short: a hostile link's words are not echoed at length.
fn short(v: &str) -> String {
    let cut: String = v.chars().take(24).collect();
    if cut.len() < v.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

const ACTIVATIONS: [(&str, Activation); 7] = [
    ("tanh", Activation::Tanh),
    ("relu", Activation::Relu),
    ("sigmoid", Activation::Sigmoid),
    ("linear", Activation::Linear),
    ("leaky-relu", Activation::LeakyRelu),
    ("gelu", Activation::Gelu),
    ("silu", Activation::Silu),
];

pub fn activation_key(a: Activation) -> &'static str {
    ACTIVATIONS
        .iter()
        .find(|(_, x)| *x == a)
        .map_or("tanh", |(k, _)| k)
}

/// Links spell features without the spec's hyphen, so a feature list needs no escaping.
fn feature_key(f: Feature) -> &'static str {
    match f {
        Feature::SinX => "sinx",
        Feature::SinY => "siny",
        other => other.key(),
    }
}

pub fn encode_points(points: &[[f32; 3]], problem: Problem) -> String {
    let regression = problem == Problem::Regression;
    let mut bytes = vec![1u8, u8::from(regression)];
    varint(&mut bytes, points.len() as u64);
    let mut last = [0i32; 2];
    for p in points {
        for (axis, v) in [p[0], p[1]].into_iter().enumerate() {
            let q = quantum(v);
            varint(&mut bytes, zigzag(q - last[axis]));
            last[axis] = q;
        }
    }
    if regression {
        let mut prev = 0;
        for p in points {
            let q = quantum(p[2]);
            varint(&mut bytes, zigzag(q - prev));
            prev = q;
        }
    } else {
        let mut bits = vec![0u8; points.len().div_ceil(8)];
        for (i, p) in points.iter().enumerate() {
            if p[2] != 0.0 {
                bits[i / 8] |= 1 << (i % 8);
            }
        }
        bytes.extend(bits);
    }
    base64url(&bytes)
}

pub fn decode_points(text: &str) -> Result<(Vec<[f32; 3]>, Problem), String> {
    if text.len() > MAX_PTS_CHARS {
        return Err(format!(
            "the link's points are {} characters long, more than the {MAX_PTS_CHARS} a link may carry",
            text.len()
        ));
    }
    let bytes = unbase64url(text).ok_or("the link's points are damaged (not base64url)")?;
    let mut r = Reader {
        bytes: &bytes,
        at: 0,
    };
    let damaged = || "the link's points are damaged (cut short or malformed)".to_string();
    if r.byte().ok_or_else(damaged)? != 1 {
        return Err("the link's points were written by another version of the playground".into());
    }
    let problem = match r.byte().ok_or_else(damaged)? {
        0 => Problem::Classification,
        1 => Problem::Regression,
        _ => return Err(damaged()),
    };
    let count = r.varint().ok_or_else(damaged)?;
    if count > MAX_OWN_POINTS as u64 {
        return Err(format!(
            "the link holds {count} points; the playground takes at most {MAX_OWN_POINTS}"
        ));
    }
    let count = count as usize;
    let limit = quantum(PLANE);
    let mut points = Vec::with_capacity(count);
    let mut last = [0i64; 2];
    for _ in 0..count {
        let mut p = [0.0f32; 3];
        for axis in 0..2 {
            let q = last[axis] + unzigzag(r.varint().ok_or_else(damaged)?);
            if q.abs() > limit as i64 {
                return Err("a point in the link lies off the plane".into());
            }
            last[axis] = q;
            p[axis] = q as f32 / 100.0;
        }
        points.push(p);
    }
    if problem == Problem::Regression {
        let mut prev = 0i64;
        for p in &mut points {
            prev += unzigzag(r.varint().ok_or_else(damaged)?);
            if prev.abs() > 100_000 {
                return Err("a target in the link is out of range".into());
            }
            p[2] = prev as f32 / 100.0;
        }
    } else {
        for i in 0..count {
            if i % 8 == 0 {
                r.byte().ok_or_else(damaged)?;
            }
            points[i][2] = ((bytes[r.at - 1] >> (i % 8)) & 1) as f32;
        }
    }
    if r.at != bytes.len() {
        return Err("the link's points have bytes left over (damaged)".into());
    }
    Ok((points, problem))
}

fn zigzag(v: i32) -> u64 {
    ((v << 1) ^ (v >> 31)) as u32 as u64
}

fn unzigzag(v: u64) -> i64 {
    (v >> 1) as i64 ^ -((v & 1) as i64)
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    /// At most 5 bytes (35 bits): nothing this format writes is longer.
    fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..35).step_by(7) {
            let b = self.byte()?;
            v |= ((b & 0x7f) as u64) << shift;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (b as u32) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(B64[(n >> (18 - 6 * i)) as usize & 63] as char);
        }
    }
    out
}

fn unbase64url(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let digits: Vec<u32> = text
        .bytes()
        .map(|c| B64.iter().position(|&b| b == c).map(|p| p as u32))
        .collect::<Option<_>>()?;
    for chunk in digits.chunks(4) {
        if chunk.len() == 1 {
            return None;
        }
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &d)| n | d << (18 - 6 * i));
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::super::snap;
    use super::*;

    fn pairs(query: &str) -> Vec<(String, String)> {
        query
            .split('&')
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn drawn(n: usize) -> Vec<[f32; 3]> {
        // A stroke that wanders across the plane, two classes.
        (0..n)
            .map(|i| {
                let t = i as f32 * 0.05;
                [
                    snap(4.0 * t.sin()),
                    snap(3.0 * (1.3 * t).cos()),
                    (i / 7 % 2) as f32,
                ]
            })
            .collect()
    }

    #[test]
    fn every_setting_and_every_point_round_trips() {
        let s = Settings {
            data: Data::Own,
            noise: 20,
            test_percent: 30,
            seed: 4_000_000_000,
            features: vec![Feature::XSquared, Feature::SinY, Feature::XTimesY],
            hidden: vec![8, 3, 1],
            activation: Activation::LeakyRelu,
            lr: 0.003,
            penalty: Some(Penalty::L1),
            rate: 0.001,
            batch: 25,
            optimizer: Optimizer::AdamW,
            cross_entropy: false,
            epochs: 321,
            show_test: true,
            points: drawn(500),
            ..Settings::default()
        };
        let query = encode(&s);
        let (back, notes) = decode(&pairs(&query)).unwrap();
        assert_eq!(back, s);
        assert!(notes.is_empty(), "{notes:?}");
        // Drawn strokes cost about two bytes a point.
        let pts = query.split("pts=").nth(1).unwrap();
        assert!(
            pts.len() < 500 * 3 + 100,
            "{} characters for 500 points",
            pts.len()
        );
        // Targets round-trip too, negative ones included.
        let targets: Vec<[f32; 3]> = drawn(50)
            .into_iter()
            .enumerate()
            .map(|(i, p)| [p[0], p[1], snap(i as f32 * 0.137 - 3.0)])
            .collect();
        let text = encode_points(&targets, Problem::Regression);
        assert_eq!(
            decode_points(&text).unwrap(),
            (targets, Problem::Regression)
        );
    }

    #[test]
    fn the_same_link_replays_the_same_spec() {
        let s = Settings {
            data: Data::Own,
            points: drawn(40),
            ..Settings::default()
        };
        let (back, _) = decode(&pairs(&encode(&s))).unwrap();
        assert_eq!(back.spec(None).unwrap(), s.spec(None).unwrap());
    }

    #[test]
    fn out_of_range_values_are_clamped_and_said_so() {
        let (s, notes) = decode(&pairs(
            "data=spiral&noise=900&test=1&lr=1e9&net=4,99,2,2,2,2,2,2&act=swish&f=x,qq&batch=-3&epochs=NaN",
        ))
        .unwrap();
        assert_eq!((s.noise, s.test_percent, s.lr, s.batch), (50, 10, 10.0, 1));
        assert_eq!(s.hidden, vec![4, 8, 2, 2, 2, 2]);
        assert_eq!(s.activation, Activation::Tanh);
        assert_eq!(s.features, vec![Feature::X]);
        assert_eq!(s.epochs, 100);
        for word in [
            "noise",
            "test",
            "lr",
            "99",
            "hidden layers",
            "swish",
            "qq",
            "batch",
            "epochs",
        ] {
            assert!(
                notes.iter().any(|n| n.contains(word)),
                "no note on {word}: {notes:?}"
            );
        }
        // Whatever the link says, the settings it yields make a valid spec.
        s.spec(None).unwrap();
    }

    #[test]
    fn a_hostile_link_is_refused_without_reading_it_all() {
        let good = encode_points(&drawn(20), Problem::Classification);
        // Damaged: a character outside base64url, cut short, bytes left over, off the plane.
        assert!(decode_points(&good.replace(&good[3..4], "%")).is_err());
        assert!(decode_points(&good[..good.len() - 3]).is_err());
        assert!(decode_points(&format!("{good}AAAA")).is_err());
        let mut far = vec![1u8, 0];
        varint(&mut far, 1);
        varint(&mut far, zigzag(700));
        varint(&mut far, 0);
        far.push(0);
        assert!(decode_points(&base64url(&far))
            .unwrap_err()
            .contains("off the plane"));
        // A count past the limit, and a count the bytes cannot hold.
        let mut many = vec![1u8, 0];
        varint(&mut many, 1_000_000);
        assert!(decode_points(&base64url(&many))
            .unwrap_err()
            .contains("at most 5000"));
        let mut lying = vec![1u8, 0];
        varint(&mut lying, 4000);
        assert!(decode_points(&base64url(&lying)).is_err());
        // An endless varint, and a field too long to decode at all.
        assert!(decode_points(&base64url(&[1, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])).is_err());
        let huge = "A".repeat(MAX_PTS_CHARS + 1);
        assert!(decode_points(&huge).unwrap_err().contains("more than"));
        // The whole link is refused, not half-used.
        assert!(decode(&pairs(&format!("data=own&pts={}", &good[..5]))).is_err());
        // Settings without their points (too many for a link) open, saying where the points are.
        let (s, notes) = decode(&pairs("data=own&net=3")).unwrap();
        assert_eq!(
            (s.data, s.points.len(), s.hidden.clone()),
            (Data::Own, 0, vec![3])
        );
        assert!(notes[0].contains("open the CSV file"));
    }

    #[test]
    fn base64url_round_trips_every_length() {
        for n in 0..40 {
            let bytes: Vec<u8> = (0..n).map(|i| (i * 37 + 11) as u8).collect();
            assert_eq!(unbase64url(&base64url(&bytes)).unwrap(), bytes);
        }
    }
}
