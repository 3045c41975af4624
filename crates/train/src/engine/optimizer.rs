//! The spec's optimizer as burn's: one concrete `ModuleOptimizer` whatever the kind.

use crate::spec::OptimizerSpec;
use burn::optim::grad_clipping::GradientClippingConfig;
use burn::optim::momentum::MomentumConfig;
use burn::optim::{AdamConfig, AdamWConfig, ModuleOptimizer, SgdConfig};

pub fn build(spec: &OptimizerSpec, clip: Option<f32>) -> ModuleOptimizer {
    let clipping = clip.map(GradientClippingConfig::Norm);
    match *spec {
        OptimizerSpec::Sgd { .. } => SgdConfig::new().with_gradient_clipping(clipping).init(),
        OptimizerSpec::Momentum { momentum, .. } => SgdConfig::new()
            // No dampening: the classic heavy-ball form the lesson writes down.
            .with_momentum(Some(MomentumConfig {
                momentum,
                dampening: 0.0,
                nesterov: false,
            }))
            .with_gradient_clipping(clipping)
            .init(),
        OptimizerSpec::Adam { beta1, beta2, .. } => AdamConfig::new()
            .with_beta_1(beta1)
            .with_beta_2(beta2)
            .with_epsilon(1e-8)
            .with_grad_clipping(clipping)
            .init(),
        OptimizerSpec::AdamW {
            beta1,
            beta2,
            weight_decay,
            ..
        } => AdamWConfig::new()
            .with_beta_1(beta1)
            .with_beta_2(beta2)
            .with_epsilon(1e-8)
            .with_weight_decay(weight_decay)
            .with_grad_clipping(clipping)
            .init(),
    }
}
