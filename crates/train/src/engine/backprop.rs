//! The 2-2-1 network of the backprop demo, differentiated by burn's autodiff: the check on
//! the chain rule the lesson works by hand.

use super::model::apply;
use super::{read, TrainError};
use crate::backprop::TinyNet;
use burn::prelude::*;

/// burn's gradient of the loss with respect to each parameter, in `backprop::PARAMS` order.
/// `device` must be an autodiff device.
pub async fn autodiff_gradients(net: &TinyNet, device: &Device) -> Result<Vec<f64>, TrainError> {
    let f = |v: &[f64]| v.iter().map(|&x| x as f32).collect::<Vec<f32>>();
    let x = Tensor::<2>::from_data(TensorData::new(f(&net.x), [1, 2]), device);
    // Stored input-major (x · W): row k, column j holds w1[j][k].
    let w1 = Tensor::<2>::from_data(
        TensorData::new(
            f(&[net.w1[0][0], net.w1[1][0], net.w1[0][1], net.w1[1][1]]),
            [2, 2],
        ),
        device,
    )
    .require_grad();
    let b1 = Tensor::<1>::from_data(TensorData::new(f(&net.b1), [2]), device).require_grad();
    let w2 = Tensor::<2>::from_data(TensorData::new(f(&net.w2), [2, 1]), device).require_grad();
    let b2 = Tensor::<1>::from_data(TensorData::new(f(&[net.b2]), [1]), device).require_grad();
    let h = apply(
        net.activation,
        x.matmul(w1.clone()) + b1.clone().unsqueeze(),
    );
    let y_hat = h.matmul(w2.clone()) + b2.clone().unsqueeze();
    let loss = (y_hat - net.target as f32).powi_scalar(2).sum();
    let grads = loss.backward();
    let missing = || TrainError::Device("autodiff returned no gradient".into());
    let gw1 = read(w1.grad(&grads).ok_or_else(missing)?.reshape([4])).await?;
    let gb1 = read(b1.grad(&grads).ok_or_else(missing)?).await?;
    let gw2 = read(w2.grad(&grads).ok_or_else(missing)?.reshape([2])).await?;
    let gb2 = read(b2.grad(&grads).ok_or_else(missing)?).await?;
    Ok([
        gw1[0], gw1[2], gw1[1], gw1[3], gb1[0], gb1[1], gw2[0], gw2[1], gb2[0],
    ]
    .iter()
    .map(|&g| g as f64)
    .collect())
}
