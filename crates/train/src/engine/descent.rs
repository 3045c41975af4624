//! Descent on a 2-D surface with burn's autodiff and optimizers: the same optimizers the
//! MLP demos use, on a loss a learner can see whole.

use super::{optimizer, read, TrainError};
use crate::job::{DescentSpec, RaceSpec};
use crate::surface::Surface;
use burn::module::Param;
use burn::optim::{GradientsParams, ModuleOptimizer};
use burn::prelude::*;

#[derive(Module, Debug)]
pub struct Point {
    pub xy: Param<Tensor<1>>,
}

fn value(surface: Surface, xy: Tensor<1>) -> Tensor<1> {
    let x = xy.clone().slice([0..1]);
    let y = xy.slice([1..2]);
    match surface {
        Surface::TwoValleys => {
            (x.clone().powi_scalar(2) - 1.0).powi_scalar(2) + x * 0.3 + y.powi_scalar(2)
        }
        Surface::IllConditioned => x.powi_scalar(2) * 0.1 + y.powi_scalar(2) * 10.0,
        Surface::RotatedBowl => {
            (x.clone() + y.clone()).powi_scalar(2) * 0.05 + (x - y).powi_scalar(2) * 5.0
        }
        Surface::Rosenbrock => {
            (x.clone().neg() + 1.0).powi_scalar(2) + (y - x.powi_scalar(2)).powi_scalar(2) * 100.0
        }
        Surface::Saddle => x.powi_scalar(2) - y.powi_scalar(2),
    }
}

pub struct Descent {
    spec: DescentSpec,
    point: Point,
    optimizer: ModuleOptimizer,
    step: usize,
}

impl Descent {
    pub fn new(spec: DescentSpec, device: &Device) -> Self {
        let start = TensorData::new(vec![spec.start[0] as f32, spec.start[1] as f32], [2]);
        let point = Point {
            xy: Param::from_tensor(Tensor::from_data(start, device)),
        };
        let optimizer = optimizer::build(&spec.optimizer, None);
        Descent {
            spec,
            point,
            optimizer,
            step: 0,
        }
    }

    pub fn finished(&self) -> bool {
        self.step >= self.spec.steps
    }

    pub fn total_steps(&self) -> usize {
        self.spec.steps
    }

    /// One update; returns the new (x, y, f(x, y)).
    pub async fn step(&mut self) -> Result<[f64; 3], TrainError> {
        let loss = value(self.spec.surface, self.point.xy.val());
        let grads = GradientsParams::from_grads(loss.backward(), &self.point);
        let point = Point {
            xy: self.point.xy.clone(),
        };
        self.point = self.optimizer.step(self.spec.optimizer.lr(), point, grads);
        self.step += 1;
        let xy = read(self.point.xy.val().detach()).await?;
        let (x, y) = (xy[0] as f64, xy[1] as f64);
        let f = self.spec.surface.value(x, y);
        if !f.is_finite() || x.abs() > 1e6 || y.abs() > 1e6 {
            return Err(TrainError::NonFinite(format!(
                "The descent left the map at step {}: the learning rate ({}) is too large for this surface, so each step overshoots further.",
                self.step,
                self.spec.optimizer.lr()
            )));
        }
        Ok([x, y, f])
    }
}

/// Several descents on one surface from one start, stepped side by side: the optimizer race.
/// The worker and the native tests both run races through this.
pub struct Race {
    racers: Vec<Descent>,
    /// Each racer's path so far as (x, y, value), starting at the shared start.
    pub paths: Vec<Vec<[f64; 3]>>,
    /// Why a racer stopped early (it left the map); `None` while it runs or once it finished.
    pub stopped: Vec<Option<String>>,
}

impl Race {
    pub fn new(race: &RaceSpec, device: &Device) -> Self {
        let start = [
            race.start[0],
            race.start[1],
            race.surface.value(race.start[0], race.start[1]),
        ];
        let racers: Vec<Descent> = race
            .racers
            .iter()
            .map(|r| {
                Descent::new(
                    DescentSpec {
                        surface: race.surface,
                        start: race.start,
                        optimizer: r.optimizer,
                        steps: race.steps,
                    },
                    device,
                )
            })
            .collect();
        let n = racers.len();
        Race {
            racers,
            paths: vec![vec![start]; n],
            stopped: vec![None; n],
        }
    }

    /// No racer has steps left.
    pub fn finished(&self) -> bool {
        self.racers
            .iter()
            .zip(&self.stopped)
            .all(|(d, s)| d.finished() || s.is_some())
    }

    /// One step for every racer still running. A racer that leaves the map stops with its
    /// reason and the others go on; a device failure ends the race.
    pub async fn step(&mut self) -> Result<(), TrainError> {
        for (i, d) in self.racers.iter_mut().enumerate() {
            if d.finished() || self.stopped[i].is_some() {
                continue;
            }
            match d.step().await {
                Ok(p) => self.paths[i].push(p),
                Err(TrainError::NonFinite(why)) => self.stopped[i] = Some(why),
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

/// Runs a race to its end natively (tests): each racer's path, and why it stopped early if it
/// left the map.
pub fn race_to_end(
    race: &RaceSpec,
    device: &Device,
) -> Result<Vec<(Vec<[f64; 3]>, Option<String>)>, TrainError> {
    futures::executor::block_on(async {
        let mut r = Race::new(race, device);
        while !r.finished() {
            r.step().await?;
        }
        Ok(r.paths.into_iter().zip(r.stopped).collect())
    })
}
