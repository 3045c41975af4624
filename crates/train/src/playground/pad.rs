//! The digit pad, made the way the 8×8 digits were made. The UCI forms went through NIST's
//! preprocessing: each digit was scaled to fill a 32×32 box, its strokes normalised to a
//! common width, the bitmap cut into 4×4 blocks and each block's set pixels counted (0 to
//! 16). Every class of the data ends up with about the same ink, some 310 of the 1,024 pixels,
//! whether it is a short 1 or a long 8. So the pad keeps the learner's strokes, and what the
//! network reads is those strokes centred, scaled to fill the box and drawn with the pen width
//! that gives the data's ink, then counted by block. A brush painted straight onto the 8×8
//! grid did none of this, and read a drawn 0 as a 4.

/// The grid the network reads: `SIDE × SIDE` block counts.
pub const SIDE: usize = 8;
/// The bitmap the digits were drawn on: `FINE × FINE` pixels.
pub const FINE: usize = 32;
pub const BLOCK: usize = FINE / SIDE;
/// A block with every pixel set.
pub const FULL: u8 = (BLOCK * BLOCK) as u8;
/// The ink of an average digit in the data: its counts add up to about this (303 to 330 by
/// class, `content/data/digits.txt`).
pub const INK: usize = 310;
/// The box a digit is scaled to fill, inside the bitmap's margin.
const FILL: f32 = 26.0;
/// The pen the pad shows the learner's strokes with, and the rubber's reach, in pixels.
pub const SHOWN_PEN: f32 = 1.6;
pub const RUBBER: f32 = 3.0;

/// The network's input: block counts, row by row.
pub type Pad = [u8; SIDE * SIDE];
/// A drawing: one flag a pixel, row by row.
pub type Bitmap = [bool; FINE * FINE];

/// The learner's strokes, as drawn: each a run of (y, x) points in pad pixels (0 to 32).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Drawing {
    pub strokes: Vec<Vec<(f32, f32)>>,
}

/// Sets every pixel whose centre lies within `radius` of the point (`y`, `x`).
fn dab(bitmap: &mut Bitmap, y: f32, x: f32, radius: f32) {
    let lo = |v: f32| (v - radius).floor().max(0.0) as usize;
    let hi = |v: f32| ((v + radius).ceil().max(0.0) as usize).min(FINE);
    for row in lo(y)..hi(y) {
        for col in lo(x)..hi(x) {
            let (dy, dx) = (row as f32 + 0.5 - y, col as f32 + 0.5 - x);
            if dy * dy + dx * dx <= radius * radius {
                bitmap[row * FINE + col] = true;
            }
        }
    }
}

/// A pen of `radius` along a segment, with no gaps however far apart its ends are.
fn segment(bitmap: &mut Bitmap, from: (f32, f32), to: (f32, f32), radius: f32) {
    let length = ((to.0 - from.0).powi(2) + (to.1 - from.1).powi(2)).sqrt();
    let steps = (length / 0.4).ceil().max(1.0) as usize;
    for i in 0..=steps {
        let t = i as f32 / steps as f32;
        dab(
            bitmap,
            from.0 + (to.0 - from.0) * t,
            from.1 + (to.1 - from.1) * t,
            radius,
        );
    }
}

impl Drawing {
    pub fn is_empty(&self) -> bool {
        self.strokes.iter().all(|s| s.is_empty())
    }

    /// Starts a stroke at a point.
    pub fn begin(&mut self, at: (f32, f32)) {
        self.strokes.push(vec![at]);
    }

    /// Carries the current stroke on to a point.
    pub fn extend(&mut self, at: (f32, f32)) {
        match self.strokes.last_mut() {
            Some(s) => s.push(at),
            None => self.begin(at),
        }
    }

    /// Rubs out the strokes' points within `RUBBER` of a point, splitting strokes there.
    pub fn erase(&mut self, at: (f32, f32)) {
        let near = |p: &(f32, f32)| (p.0 - at.0).powi(2) + (p.1 - at.1).powi(2) <= RUBBER * RUBBER;
        let mut kept = Vec::new();
        for stroke in self.strokes.drain(..) {
            let mut run = Vec::new();
            for p in stroke {
                if near(&p) {
                    if !run.is_empty() {
                        kept.push(std::mem::take(&mut run));
                    }
                } else {
                    run.push(p);
                }
            }
            if !run.is_empty() {
                kept.push(run);
            }
        }
        self.strokes = kept;
    }

    /// The strokes as drawn, with a thin pen: what the pad shows.
    pub fn shown(&self) -> Bitmap {
        self.draw(|p| p, SHOWN_PEN)
    }

    fn draw(&self, place: impl Fn((f32, f32)) -> (f32, f32), radius: f32) -> Bitmap {
        let mut b = [false; FINE * FINE];
        for stroke in &self.strokes {
            for (i, &p) in stroke.iter().enumerate() {
                let from = place(p);
                let to = stroke.get(i + 1).map_or(from, |&q| place(q));
                segment(&mut b, from, to, radius);
            }
        }
        b
    }

    /// The strokes as the data's preprocessing would leave them: centred, scaled (keeping
    /// their shape) to fill the box, and drawn with the pen width that gives the data's ink.
    pub fn normalised(&self) -> Bitmap {
        let points: Vec<(f32, f32)> = self.strokes.iter().flatten().copied().collect();
        if points.is_empty() {
            return [false; FINE * FINE];
        }
        let (mut y0, mut y1, mut x0, mut x1) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
        for &(y, x) in &points {
            (y0, y1, x0, x1) = (y0.min(y), y1.max(y), x0.min(x), x1.max(x));
        }
        // A dot or a short dash is not scaled up into a blob.
        let scale = (FILL / (y1 - y0).max(x1 - x0).max(FILL / 4.0)).min(4.0);
        let (cy, cx) = ((y0 + y1) / 2.0, (x0 + x1) / 2.0);
        let half = FINE as f32 / 2.0;
        let place = |(y, x): (f32, f32)| (half + (y - cy) * scale, half + (x - cx) * scale);
        // The widest pen that stays within the data's ink (ink grows with the radius).
        let ink = |r: f32| self.draw(place, r).iter().filter(|&&on| on).count();
        let (mut lo, mut hi) = (0.5f32, 8.0f32);
        for _ in 0..12 {
            let mid = (lo + hi) / 2.0;
            if ink(mid) <= INK {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        self.draw(place, lo)
    }
}

/// The centre of block (row, col) in pad pixels: where the keyboard's cursor draws.
pub fn block_centre(row: usize, col: usize) -> (f32, f32) {
    let half = BLOCK as f32 / 2.0;
    ((row * BLOCK) as f32 + half, (col * BLOCK) as f32 + half)
}

/// What the network sees: the set pixels in each 4×4 block.
pub fn counts(bitmap: &Bitmap) -> Pad {
    let mut pad = [0u8; SIDE * SIDE];
    for (i, _) in bitmap.iter().enumerate().filter(|(_, &on)| on) {
        let (row, col) = (i / FINE / BLOCK, i % FINE / BLOCK);
        pad[row * SIDE + col] += 1;
    }
    pad
}

/// The counts as the network reads them: each over 16, row by row.
pub fn inputs(pad: &Pad) -> Vec<f32> {
    pad.iter().map(|&v| v as f32 / FULL as f32).collect()
}

/// An ellipse as one closed stroke (for tests and examples), in pad pixels.
pub fn ellipse(d: &mut Drawing, centre: (f32, f32), radii: (f32, f32)) {
    let n = 48;
    d.begin((centre.0, centre.1 + radii.1));
    for k in 1..=n {
        let a = k as f32 / n as f32 * std::f32::consts::TAU;
        d.extend((centre.0 + radii.0 * a.sin(), centre.1 + radii.1 * a.cos()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ink(b: &Bitmap) -> usize {
        b.iter().filter(|&&on| on).count()
    }

    #[test]
    fn counts_are_the_set_pixels_of_each_block() {
        let mut b = [false; FINE * FINE];
        assert_eq!(counts(&b), [0; 64]);
        for row in 0..FINE {
            b[row * FINE + 15] = true;
            b[row * FINE + 16] = true;
        }
        let p = counts(&b);
        assert!((0..SIDE).all(|r| p[r * SIDE + 3] == 4 && p[r * SIDE + 4] == 4));
        assert_eq!(p.iter().map(|&v| v as usize).sum::<usize>(), 64);
        assert!(inputs(&p).iter().all(|v| (0.0..=1.0).contains(v)));
    }

    #[test]
    fn any_size_or_place_comes_out_centred_filling_the_box_with_the_datas_ink() {
        // A small 1 drawn near a corner, and a big one in the middle.
        let mut small = Drawing::default();
        small.begin((2.0, 3.0));
        small.extend((10.0, 4.0));
        let mut big = Drawing::default();
        big.begin((3.0, 16.0));
        big.extend((29.0, 16.0));
        for d in [&small, &big] {
            let b = d.normalised();
            assert!((INK - 40..=INK).contains(&ink(&b)), "ink {}", ink(&b));
            let p = counts(&b);
            // Centred: the middle columns carry the ink; the top and bottom rows are reached.
            let col = |c: usize| (0..SIDE).map(|r| p[r * SIDE + c] as usize).sum::<usize>();
            assert!(
                col(3) + col(4) > 3 * (col(0) + col(1) + col(6) + col(7)),
                "{p:?}"
            );
            assert!(
                p[3] + p[4] > 0 && p[7 * SIDE + 3] + p[7 * SIDE + 4] > 0,
                "{p:?}"
            );
        }
        // The pad shows what was drawn, where it was drawn.
        assert!(small.shown()[5 * FINE + 3] && !small.shown()[16 * FINE + 16]);
    }

    #[test]
    fn the_rubber_splits_strokes_and_an_empty_pad_reads_blank() {
        let mut d = Drawing::default();
        d.begin((16.0, 2.0));
        for x in 3..30 {
            d.extend((16.0, x as f32));
        }
        d.erase((16.0, 16.0));
        assert_eq!(d.strokes.len(), 2);
        assert!(!d.shown()[16 * FINE + 16] && d.shown()[16 * FINE + 5]);
        d.erase((16.0, 5.0));
        d.erase((16.0, 9.0));
        d.erase((16.0, 23.0));
        d.erase((16.0, 27.0));
        assert!(d.is_empty());
        assert_eq!(counts(&d.normalised()), [0; 64]);
    }

    #[test]
    fn a_drawn_zero_has_an_empty_middle_and_inked_sides_like_the_datas_zeros() {
        let mut d = Drawing::default();
        ellipse(&mut d, (16.0, 16.0), (12.0, 9.0));
        let p = counts(&d.normalised());
        assert!(p[3 * SIDE + 3] + p[4 * SIDE + 4] <= 4, "{p:?}");
        assert!(
            p[4 * SIDE + 1] + p[4 * SIDE + 2] >= 8 && p[4 * SIDE + 5] + p[4 * SIDE + 6] >= 8,
            "{p:?}"
        );
    }
}
