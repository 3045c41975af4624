//! The digit pad: an 8×8 grid the learner inks with a soft brush, in the digits' own scale
//! (0 to 16). A cell drawn on gets full ink, its four neighbours some: the UCI digits count
//! the pixels set in each 4×4 block of a 32×32 drawing, and their strokes are about two
//! cells wide (a "1" is columns 3 and 4 at about 14, their neighbours at 6 to 9), so a stroke
//! on the pad spills well into the next cells. The images were centred: a network trained on
//! them reads a stroke off the middle as another digit, which the page says.

pub const SIDE: usize = 8;
pub const FULL: u8 = 16;
const SPILL: u8 = 10;

pub type Pad = [u8; SIDE * SIDE];

/// Inks cell (row, col) and spills into its neighbours.
pub fn paint(pad: &mut Pad, row: usize, col: usize) {
    if row >= SIDE || col >= SIDE {
        return;
    }
    pad[row * SIDE + col] = FULL;
    let near = [(-1i32, 0i32), (1, 0), (0, -1), (0, 1)];
    for (dr, dc) in near {
        let (r, c) = (row as i32 + dr, col as i32 + dc);
        if (0..SIDE as i32).contains(&r) && (0..SIDE as i32).contains(&c) {
            let cell = &mut pad[r as usize * SIDE + c as usize];
            *cell = (*cell + SPILL).min(FULL).max(*cell);
        }
    }
}

/// Clears cell (row, col) whole.
pub fn erase(pad: &mut Pad, row: usize, col: usize) {
    if row < SIDE && col < SIDE {
        pad[row * SIDE + col] = 0;
    }
}

/// The pad as the network reads it: each value over 16, row by row.
pub fn inputs(pad: &Pad) -> Vec<f32> {
    pad.iter().map(|&v| v as f32 / FULL as f32).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stroke_inks_its_cells_and_spills_into_the_next() {
        let mut pad = [0; 64];
        for r in 0..8 {
            paint(&mut pad, r, 3);
        }
        assert!(
            (0..8).all(|r| pad[r * 8 + 3] == 16 && pad[r * 8 + 2] == 10 && pad[r * 8 + 4] == 10)
        );
        assert_eq!(pad.iter().filter(|&&v| v > 0).count(), 24);
        paint(&mut pad, 0, 4);
        assert_eq!(pad[4], 16);
        erase(&mut pad, 0, 4);
        assert_eq!(pad[4], 0);
        paint(&mut pad, 9, 9); // off the pad: nothing
        assert_eq!(inputs(&pad)[3], 1.0);
    }
}
