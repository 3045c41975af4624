#!/usr/bin/env python3
"""Writes content/data/digits.txt from scikit-learn's copy of the UCI optical digits.

Run once (`pip install scikit-learn`, then `python3 scripts/make-digits.py`); the file is
committed, so neither building nor testing needs Python. Format (read by
crates/train/src/digits.rs):

    digits <side> <max> <count>
    <label> <side*side pixels, one character each: 0-9 then a-g for 10-16>
    ...

Images keep sklearn's order (the playground's seeded shuffle makes the split).
"""
from pathlib import Path

from sklearn.datasets import load_digits

DIGITS = "0123456789abcdefg"

data = load_digits()
images, labels = data.images.astype(int), data.target.astype(int)
count, side, _ = images.shape
assert images.min() >= 0 and images.max() <= 16 and side == 8
lines = [f"digits {side} 16 {count}"]
for image, label in zip(images, labels):
    lines.append(f"{label} " + "".join(DIGITS[v] for v in image.reshape(-1)))
out = Path(__file__).resolve().parent.parent / "content" / "data" / "digits.txt"
out.write_text("\n".join(lines) + "\n")
print(f"wrote {out}: {count} images, {out.stat().st_size} bytes")
