//! How a layer's matrix products run: burn's matmul, or (small products on a GPU) a
//! broadcast multiply summed over the shared axis.
//!
//! Why two forms: without autotune and without cooperative-matrix instructions (WebGPU has
//! none), burn-wgpu's matmul is cubek-matmul's general `SimpleUnit` kernel, tens of kilobytes of
//! WGSL whatever the shape. For a demo's products (256 × 16 by 16 × 1) its fixed work dwarfs the
//! arithmetic: a perf profile of the reference run on SwiftShader put the matmul kernels (five
//! launches a step) at about 90% of the shader time. The same product as an element-wise
//! multiply and a sum over the shared axis is two small kernels. Large products keep the tiled
//! kernel (it reuses operands; the multiply would write all n·k·m terms out), and the CPU keeps
//! flex's gemm.

use burn::prelude::*;

/// The largest product (rows × shared × columns terms) that runs as multiply-and-sum (its
/// temporary: 4 MiB of f32). Measured on SwiftShader: steps whose products have up to 65,536
/// terms ran 2.6–2.8× as fast this way, steps with products of 2–17 million terms 2.6–3.2×
/// slower (tests/bench/README.md).
pub const BROADCAST_LIMIT: usize = 1 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Products {
    /// burn's matmul for every product.
    Matmul,
    /// Multiply-and-sum up to `BROADCAST_LIMIT` terms, matmul beyond.
    Broadcast,
}

impl Products {
    /// Matmul on the CPU (flex's gemm); multiply-and-sum for small products on a GPU.
    pub fn for_device(device: &Device) -> Self {
        if *device == Device::flex() {
            Products::Matmul
        } else {
            Products::Broadcast
        }
    }

    fn broadcast(self, n: usize, k: usize, m: usize) -> bool {
        self == Products::Broadcast && n * k * m <= BROADCAST_LIMIT
    }

    /// a·b for a: n × k, b: k × m.
    pub fn ab(self, a: Tensor<2>, b: Tensor<2>) -> Tensor<2> {
        let ([n, k], [_, m]) = (a.dims(), b.dims());
        if !self.broadcast(n, k, m) {
            return a.matmul(b);
        }
        // [n, k, 1] ⊙ [1, k, m], summed over k.
        (a.unsqueeze_dim::<3>(2) * b.unsqueeze::<3>())
            .sum_dim(1)
            .reshape([n, m])
    }

    /// aᵀ·b for a: n × k, b: n × m (a weight gradient: inputᵀ·δ, summed over the batch).
    pub fn at_b(self, a: Tensor<2>, b: Tensor<2>) -> Tensor<2> {
        let ([n, k], [_, m]) = (a.dims(), b.dims());
        if !self.broadcast(n, k, m) {
            return a.transpose().matmul(b);
        }
        // [n, k, 1] ⊙ [n, 1, m], summed over n.
        (a.unsqueeze_dim::<3>(2) * b.unsqueeze_dim::<3>(1))
            .sum_dim(0)
            .reshape([k, m])
    }

    /// a·bᵀ for a: n × m, b: k × m (the signal passed down: δ·Wᵀ).
    pub fn a_bt(self, a: Tensor<2>, b: Tensor<2>) -> Tensor<2> {
        let ([n, m], [k, _]) = (a.dims(), b.dims());
        if !self.broadcast(n, k, m) {
            return a.matmul(b.transpose());
        }
        // [n, 1, m] ⊙ [1, k, m], summed over m.
        (a.unsqueeze_dim::<3>(1) * b.unsqueeze::<3>())
            .sum_dim(2)
            .reshape([n, k])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Rng;

    fn random(rows: usize, cols: usize, seed: u64, device: &Device) -> Tensor<2> {
        let mut rng = Rng::new(seed);
        let v: Vec<f32> = (0..rows * cols).map(|_| rng.normal()).collect();
        Tensor::from_data(TensorData::new(v, [rows, cols]), device)
    }

    fn close(a: Tensor<2>, b: Tensor<2>) {
        assert_eq!(a.dims(), b.dims());
        let a = a.into_data().try_to_vec::<f32>().unwrap();
        let b = b.into_data().try_to_vec::<f32>().unwrap();
        for (x, y) in a.iter().zip(&b) {
            assert!((x - y).abs() <= 1e-5 * (1.0 + y.abs()), "{x} against {y}");
        }
    }

    #[test]
    fn every_form_of_product_matches_matmul() {
        let d = Device::flex();
        let p = Products::Broadcast;
        // Shapes of a demo's layers: 2 inputs, 16 units, 1 or 3 outputs, batch 256.
        for &(n, k, m) in &[(256, 2, 16), (256, 16, 1), (7, 16, 16), (5, 3, 4)] {
            let (a, b) = (random(n, k, 1, &d), random(k, m, 2, &d));
            close(p.ab(a.clone(), b.clone()), a.matmul(b));
            let (a, b) = (random(n, k, 3, &d), random(n, m, 4, &d));
            close(p.at_b(a.clone(), b.clone()), a.transpose().matmul(b));
            let (a, b) = (random(n, m, 5, &d), random(k, m, 6, &d));
            close(p.a_bt(a.clone(), b.clone()), a.matmul(b.transpose()));
        }
    }

    #[test]
    fn the_cpu_keeps_gemm_and_large_products_keep_matmul() {
        assert_eq!(Products::for_device(&Device::flex()), Products::Matmul);
        assert!(Products::Broadcast.broadcast(256, 16, 16));
        assert!(!Products::Broadcast.broadcast(4096, 1024, 1024));
        assert!(!Products::Matmul.broadcast(2, 2, 2));
    }
}
