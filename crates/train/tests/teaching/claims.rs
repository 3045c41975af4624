//! The claims registry: every sentence-bearing text of every demo file in content/ (title,
//! intro, each preset's note, the prediction's question and options), word for word, with
//! what backs it. A sentence that says what the learner will see is backed by the tests that
//! run that demo's real presets on the engine and assert it; a sentence that only names the
//! view or says how to use it is registered as a description, with why. A new or edited text
//! fails `every_demo_text_is_registered_against_what_backs_it` until it is registered here.

use super::lesson1::*;
use super::lesson2::*;
use super::lesson3::*;
use super::lesson4::*;

/// Which text of a demo file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Title,
    Intro,
    Question,
    /// The prediction's options, joined with " | ".
    Options,
    /// A preset's note, by the preset's name.
    Note(&'static str),
    /// What a preset's run showed, shown once it has ended, by the preset's name.
    After(&'static str),
}
use Field::*;

pub enum Backing {
    /// The text makes no claim a run could contradict: it names the view, asks a question, or
    /// says how to use the controls. The reason says which.
    Describes(&'static str),
    /// These tests assert what the text says, each on the demo's real presets.
    Tests(&'static [(&'static str, fn())]),
}
use Backing::*;

/// The tests backing a text: their names (for the checks below) and the functions themselves,
/// so a name that is not a test function does not compile.
macro_rules! tests {
    ($($name:ident),+ $(,)?) => {
        Tests(&[$((stringify!($name), $name as fn())),+])
    };
}

pub struct Claim {
    pub demo: &'static str,
    pub field: Field,
    pub text: &'static str,
    pub backing: Backing,
}

const fn claim(demo: &'static str, field: Field, text: &'static str, backing: Backing) -> Claim {
    Claim {
        demo,
        field,
        text,
        backing,
    }
}

pub static CLAIMS: &[Claim] = &[
    // activation-gallery
    claim(
        "activation-gallery",
        Title,
        "Activation gallery: each function and its slope",
        Describes("names the view and what it plots"),
    ),
    claim(
        "activation-gallery",
        Intro,
        "Pick an activation to see the function and its derivative side by side; slide x to read both. The derivative is one of the factors backprop multiplies by at every layer (the layer's weights are the other), so its largest value matters: sigmoid's never passes 0.25.",
        tests![the_gallerys_sigmoid_never_slopes_above_a_quarter],
    ),
    // backprop-steps
    claim(
        "backprop-steps",
        Title,
        "Backprop by hand: reverse mode through a 2-2-1 network",
        Describes("names the view"),
    ),
    claim(
        "backprop-steps",
        Intro,
        "Two inputs, two hidden units and one output, with every number visible. Step through the forward pass, where each node's value is filled in, then the backward pass: each node's adjoint ∂L/∂node is the sum, over the nodes that read it, of a local derivative times that reader's adjoint, so one backward sweep gives every parameter's gradient. The table below writes each gradient out as a chain-rule product and checks it twice: against a finite-difference nudge of that weight, and against burn's automatic differentiation running in the training worker.",
        tests![backprop_products_and_reverse_mode_match_finite_differences_and_burns_autodiff],
    ),
    claim(
        "backprop-steps",
        Note("sigmoid"),
        "Every factor is non-zero, so every weight gets some gradient. Notice how small f′(z) is: a sigmoid's slope never exceeds 0.25.",
        tests![backprop_sigmoid_every_weight_gets_gradient_through_slopes_under_a_quarter],
    ),
    claim(
        "backprop-steps",
        Note("relu"),
        "Hidden unit 2 has a negative pre-activation, so ReLU's slope there is 0: that one factor zeroes every gradient flowing through the unit.",
        tests![backprop_relu_a_unit_below_zero_gets_no_gradient],
    ),
    claim(
        "backprop-steps",
        Note("tanh-miss"),
        "The prediction misses by about 4, so ∂L/∂ŷ is about 8, and every gradient carries that factor: each output-layer gradient is above 7. Yet both hidden units sit where tanh is nearly flat (slopes near 0.05 and 0.11), so every first-layer gradient is at least five times smaller than those: a big error moves a weight only as far as the slopes behind it let through.",
        tests![backprop_tanh_miss_a_big_error_reaches_the_first_layer_only_through_flat_slopes],
    ),
    // batch-size
    claim(
        "batch-size",
        Title,
        "Batch size and the linear scaling rule",
        Describes("names the topic"),
    ),
    claim(
        "batch-size",
        Intro,
        "The same network, the same 1,280 points, 20 epochs each. A bigger batch takes fewer steps per epoch, so at the same learning rate it covers less ground. The linear scaling rule says: when the batch grows k times, grow the learning rate k times too. Run all three and compare the curves epoch by epoch.",
        tests![batch_size_presets_share_network_data_and_epochs, four_times_the_batch_at_the_same_rate_ends_every_epoch_higher, four_times_the_batch_and_the_rate_lands_on_the_baselines_curve],
    ),
    claim(
        "batch-size",
        Note("batch-16"),
        "The baseline: 80 small steps an epoch.",
        tests![batch_size_presets_share_network_data_and_epochs],
    ),
    claim(
        "batch-size",
        Note("batch-64"),
        "Four times the batch at the same rate: 20 steps an epoch instead of 80, and after every epoch its loss is higher than the baseline's.",
        tests![four_times_the_batch_at_the_same_rate_ends_every_epoch_higher],
    ),
    claim(
        "batch-size",
        Note("batch-64-scaled"),
        "Four times the batch and four times the rate: the curve lands almost on the baseline's.",
        tests![four_times_the_batch_and_the_rate_lands_on_the_baselines_curve],
    ),
    // dead-neurons
    claim(
        "dead-neurons",
        Title,
        "Dead neurons: how many units never fire?",
        Describes("asks the question the plot answers"),
    ),
    claim(
        "dead-neurons",
        Intro,
        "A 2-64-64-1 network with Adam on the half-moons. After every epoch, each hidden unit's pre-activation is checked on the whole validation set: a unit that stays below zero for every example is dead, since ReLU gives it zero output and zero gradient. (A Leaky ReLU unit in that state is silent rather than dead: it still passes 1% of the gradient.) Run the presets and compare the lines.",
        tests![a_unit_is_dead_when_it_is_below_zero_for_every_validation_example],
    ),
    claim(
        "dead-neurons",
        Note("relu-high-lr"),
        "Ten times a sensible Adam rate: within the first epoch about a quarter of the units go silent, more follow, and by the end about two in five are dead.",
        tests![relu_at_a_high_rate_loses_a_quarter_in_the_first_epoch_and_two_in_five_by_the_end],
    ),
    claim(
        "dead-neurons",
        Note("leaky-high-lr"),
        "The same run with Leaky ReLU: a silent unit still passes 1% of the gradient, so some come back (the line dips as well as climbs), and fewer are silent at the end than with ReLU.",
        tests![leaky_relu_at_a_high_rate_lets_some_units_back_and_ends_with_fewer_silent],
    ),
    claim(
        "dead-neurons",
        Note("relu-bad-init"),
        "A poor initialization: every hidden bias starts at −1, so more than a third of the units are dead before the first step, and the count never drops below that.",
        tests![biases_at_minus_one_kill_a_third_before_the_first_step_and_they_stay_dead],
    ),
    claim(
        "dead-neurons",
        Note("leaky-bad-init"),
        "The same bad start with Leaky ReLU: the trickle of gradient brings silent units back, and within two epochs about half of them fire again, while plain ReLU's count ends higher than it started.",
        tests![leaky_relu_brings_half_the_silent_units_back_within_two_epochs],
    ),
    claim(
        "dead-neurons",
        Note("relu-he"),
        "The recommended pairing: He initialization and a moderate rate keep most units alive (more than four in five here).",
        tests![he_init_at_a_moderate_rate_keeps_four_in_five_alive],
    ),
    // depth
    claim(
        "depth",
        Title,
        "Twelve layers deep: where does the gradient go?",
        Describes("asks the question the plot answers"),
    ),
    claim(
        "depth",
        Intro,
        "Kezia's problem, rebuilt: a network with 12 hidden layers of 32 units, trained on the half-moons for three epochs. The plot shows each layer's mean absolute gradient at the end of the run on a log scale, input layer on the left. Run the presets and the profiles stack up for comparison; the skip-connections box rebuilds the chosen network from residual blocks.",
        tests![depth_runs_twelve_hidden_layers_of_32_on_the_moons_for_three_epochs],
    ),
    claim(
        "depth",
        Question,
        "Where in this network will the gradient be smallest?",
        tests![sigmoid_twelve_starves_its_first_layer_a_millionfold],
    ),
    claim(
        "depth",
        Options,
        "One of the first layers (input side) | One in the middle | One of the last layers (output side) | Nowhere in particular: every layer within 30× of the others",
        tests![the_depth_question_is_settled_by_every_preset_run],
    ),
    claim(
        "depth",
        Note("sigmoid-12"),
        "Xavier initialization, the classic partner for sigmoid.",
        tests![sigmoid_twelve_starves_its_first_layer_a_millionfold],
    ),
    claim(
        "depth",
        After("sigmoid-12"),
        "Each layer's backward step multiplies by the sigmoid's slope, never above 0.25 (and by the layer's weights): by the first layer the gradient is more than a million times smaller than at the output.",
        tests![sigmoid_twelve_starves_its_first_layer_a_millionfold],
    ),
    claim(
        "depth",
        Note("sigmoid-12-skip"),
        "The same sigmoid stack built from residual blocks: each block adds its output to its input, so the backward signal has a path around every slope.",
        tests![skip_connections_keep_the_sigmoid_stacks_gradients_within_three_times],
    ),
    claim(
        "depth",
        After("sigmoid-12-skip"),
        "Every hidden layer's gradient stays within a factor of three of the others', where the plain stack's spread over six powers of ten. (Three epochs are too few for either sigmoid stack to learn the moons.)",
        tests![skip_connections_keep_the_sigmoid_stacks_gradients_within_three_times],
    ),
    claim(
        "depth",
        Note("relu-12-default"),
        "ReLU with the default initialization: weights uniform within ±1/√fan-in, as PyTorch's Linear starts them.",
        tests![relu_with_the_default_init_starves_its_first_layer_and_does_not_learn],
    ),
    claim(
        "depth",
        After("relu-12-default"),
        "That scale is too small for ReLU, so the backward signal shrinks on its way down: the first layer gets thousands of times less gradient than the output layer, and after three epochs the loss has not left ln 2 ≈ 0.69. A slope of 1 is not enough on its own.",
        tests![relu_with_the_default_init_starves_its_first_layer_and_does_not_learn],
    ),
    claim(
        "depth",
        Note("relu-12"),
        "The same ReLU stack with He initialization, which scales the weights so that each layer's backward step keeps the gradient's size on average.",
        tests![relu_and_gelu_with_he_init_keep_every_layer_within_twenty_times],
    ),
    claim(
        "depth",
        After("relu-12"),
        "Every layer's gradient stays within a factor of twenty of every other's, so no layer is starved (which one comes out lowest is chance), and the loss falls.",
        tests![relu_and_gelu_with_he_init_keep_every_layer_within_twenty_times],
    ),
    claim(
        "depth",
        Note("gelu-12"),
        "GELU, a smoothed ReLU, with He initialization.",
        tests![relu_and_gelu_with_he_init_keep_every_layer_within_twenty_times],
    ),
    claim(
        "depth",
        After("gelu-12"),
        "Its profile is as flat as ReLU's: every layer's gradient within a factor of twenty of every other's.",
        tests![relu_and_gelu_with_he_init_keep_every_layer_within_twenty_times],
    ),
    // gradient-monitor
    claim(
        "gradient-monitor",
        Title,
        "Gradient monitor: three runs stuck at 2.30",
        tests![each_stuck_mystery_sits_at_ln_10_and_its_evidence_names_its_cause],
    ),
    claim(
        "gradient-monitor",
        Intro,
        "A 4-layer ReLU network classifies points into 10 classes. Guessing uniformly among 10 classes scores a cross-entropy of ln 10 ≈ 2.30, and each mystery run sits right there. One has a learning rate near zero, one has dead ReLUs, one was initialized with all zeros. Predict which is which, then watch the per-layer gradients and the dead-unit count decide it.",
        tests![each_stuck_mystery_sits_at_ln_10_and_its_evidence_names_its_cause, the_mysteries_gradients_and_dead_counts_tell_them_apart],
    ),
    claim(
        "gradient-monitor",
        Question,
        "What is wrong with this run?",
        tests![each_stuck_mystery_sits_at_ln_10_and_its_evidence_names_its_cause],
    ),
    claim(
        "gradient-monitor",
        Options,
        "The learning rate is near zero | The ReLUs are dead | The weights started at zero",
        tests![each_stuck_mystery_sits_at_ln_10_and_its_evidence_names_its_cause],
    ),
    claim(
        "gradient-monitor",
        Note("mystery-a"),
        "Stuck near 2.30. Make your diagnosis, then train it and read the gradient lines: do they bear it out?",
        tests![each_stuck_mystery_sits_at_ln_10_and_its_evidence_names_its_cause],
    ),
    claim(
        "gradient-monitor",
        Note("mystery-b"),
        "Stuck near 2.30 as well. Diagnose it, then train: are its gradients the same as run A's?",
        tests![each_stuck_mystery_sits_at_ln_10_and_its_evidence_names_its_cause, the_mysteries_gradients_and_dead_counts_tell_them_apart],
    ),
    claim(
        "gradient-monitor",
        Note("mystery-c"),
        "Stuck again. Diagnose it, then train and compare its dead-unit count with runs A and B.",
        tests![each_stuck_mystery_sits_at_ln_10_and_its_evidence_names_its_cause, the_mysteries_gradients_and_dead_counts_tell_them_apart],
    ),
    claim(
        "gradient-monitor",
        Note("healthy"),
        "The same network with He initialization and a sensible learning rate: every layer's mean |gradient| stays between 0.003 and 0.1 (around a hundredth), and the loss leaves 2.30 within an epoch.",
        tests![a_healthy_run_has_gradients_around_a_hundredth_and_leaves_2_30_within_an_epoch],
    ),
    // gpu-crossover
    claim(
        "gpu-crossover",
        Title,
        "When does the GPU pay off?",
        Describes("asks the question the view answers"),
    ),
    claim(
        "gpu-crossover",
        Intro,
        "The same network, two hidden layers of equal width, trained at growing width and batch size. Each size is timed on your CPU and, if your browser offers WebGPU, on your GPU: milliseconds per training step, after a warm-up, with one read-back that waits for the work. Every kernel a GPU runs costs a fixed launch overhead, and a step of a small network is dozens of tiny kernels, so overhead dominates; the arithmetic grows with width² × batch, and only once there is enough of it do the GPU's many parallel lanes earn back that overhead. Where the lines cross on your machine is what this measures.",
        tests![the_crossover_times_one_network_growing_in_width_and_batch],
    ),
    claim(
        "gpu-crossover",
        Note("grow"),
        "Sizes too slow for this machine (a step projected past 2 seconds) are skipped and marked.",
        tests![the_crossover_skips_a_size_projected_past_two_seconds],
    ),
    // imbalance
    claim(
        "imbalance",
        Title,
        "The imbalance trap: 99% accuracy that misses most positives",
        tests![imbalance_plain_cross_entropy_is_99_percent_accurate_and_misses_most_positives],
    ),
    claim(
        "imbalance",
        Intro,
        "Only 1% of these examples are positive, and the two classes overlap. Train with plain cross-entropy and look at accuracy, then at recall. Then give the positive class more weight in the loss and train again. The threshold slider moves the cut-off between “negative” and “positive” on the trained model: lower it and recall rises while precision falls.",
        tests![imbalance_plain_cross_entropy_is_99_percent_accurate_and_misses_most_positives, imbalance_lowering_the_plain_models_threshold_does_what_the_weighting_does],
    ),
    claim(
        "imbalance",
        Note("plain"),
        "Predicting “negative” for everything is already 99% accurate, and nothing in this loss says a missed positive matters more: at the usual threshold of 0.5 it catches at most one positive in five. Now slide the threshold down to 0.01: it catches as many as the weighted run does at 0.5.",
        tests![imbalance_plain_cross_entropy_is_99_percent_accurate_and_misses_most_positives, imbalance_lowering_the_plain_models_threshold_does_what_the_weighting_does],
    ),
    claim(
        "imbalance",
        Note("weighted"),
        "Each missed positive now costs as much as 99 false alarms: recall climbs to about 80%, and accuracy falls to about 83%, because hundreds of negatives are flagged as well. Weighting the positives by 99 moves the cut-off much as a threshold of 1/(1 + 99) = 0.01 does on the plain model.",
        tests![imbalance_weighting_buys_recall_with_accuracy, imbalance_lowering_the_plain_models_threshold_does_what_the_weighting_does],
    ),
    // landscape
    claim(
        "landscape",
        Title,
        "Loss landscape: a valley, a better valley, and a saddle",
        tests![the_landscape_has_a_local_valley_a_global_valley_and_a_saddle_between],
    ),
    claim(
        "landscape",
        Intro,
        "The stronger the blue, the lower the loss. The right valley is a local minimum, the left one the global minimum, and between them sits a saddle point. Pick a run, then press Descend, or click anywhere on the map to start that run from there and watch the path.",
        tests![the_landscape_has_a_local_valley_a_global_valley_and_a_saddle_between],
    ),
    claim(
        "landscape",
        Note("sgd"),
        "Started just beside the saddle point, where the ground is almost flat: for the first ten steps the loss barely changes, then the path picks up speed and slides into the right valley, the local minimum downhill from where it began.",
        tests![near_the_saddle_gradient_descent_creeps_then_slides_into_the_right_valley],
    ),
    claim(
        "landscape",
        Note("momentum"),
        "The same start and rate with momentum 0.9: speed builds up along the faint slope, so the path leaves the saddle in about half the steps. It still ends in the right valley: momentum carries speed, it does not look for the deeper valley.",
        tests![near_the_saddle_momentum_leaves_in_half_the_steps_and_still_ends_on_the_right],
    ),
    claim(
        "landscape",
        Note("sgd-high"),
        "Started high on the right wall: gradient descent stops in the first valley it reaches, the shallower one on the right.",
        tests![from_high_on_the_right_descent_stops_in_the_shallow_valley_and_momentum_rolls_over],
    ),
    claim(
        "landscape",
        Note("momentum-high"),
        "The same start and rate with momentum 0.9: the speed gathered on the way down carries the path over the ridge, and it settles in the deeper valley on the left.",
        tests![from_high_on_the_right_descent_stops_in_the_shallow_valley_and_momentum_rolls_over],
    ),
    // loss-explorer
    claim(
        "loss-explorer",
        Title,
        "Loss explorer: how hard does each loss punish a mistake?",
        Describes("asks the question the plot answers"),
    ),
    claim(
        "loss-explorer",
        Intro,
        "Pick the true label and slide the probability the network gives to class 1. Both losses are near zero when the prediction is right; watch what each does as the network becomes confidently wrong. Next to the two losses, each one's gradient at the output's logit: once the prediction is confidently wrong, cross-entropy's stays near 1 in size however wrong it gets, while squared error's fades toward 0.",
        tests![losses_agree_when_right_and_part_when_confidently_wrong],
    ),
    // optimizer-race
    claim(
        "optimizer-race",
        Title,
        "Optimizer race",
        Describes("names the view"),
    ),
    claim(
        "optimizer-race",
        Intro,
        "Four optimizers start from the same point on the same surface and take one step each per tick; change any rate or β and race again. A racer finishes once its loss is within 0.01 of the surface's minimum (on the saddle, which has none, once its loss falls to −1). Each note says how the starting rates were chosen.",
        tests![the_race_lines_up_four_optimizers_and_asks_who_finishes_first],
    ),
    claim(
        "optimizer-race",
        Question,
        "Which optimizer will finish first?",
        tests![the_race_lines_up_four_optimizers_and_asks_who_finishes_first],
    ),
    claim(
        "optimizer-race",
        Options,
        "SGD | Momentum | Adam | AdamW",
        tests![the_race_lines_up_four_optimizers_and_asks_who_finishes_first],
    ),
    claim(
        "optimizer-race",
        Note("bowl"),
        "0.1x² + 10y²: a hundred times steeper across than along. Each racer starts at the rate that finished soonest for it on a grid from 0.0001 to 9 (1 to 9 times each power of ten).",
        tests![the_narrow_bowl_starts_everyone_at_its_best_rate_and_adam_finishes_first],
    ),
    claim(
        "optimizer-race",
        After("bowl"),
        "Plain SGD's rate is capped by the steep direction (from 0.1 up it never settles across the bowl), so it crawls along the flat one; Adam scales each coordinate's step by that coordinate's own gradient history and finishes first.",
        tests![the_narrow_bowl_starts_everyone_at_its_best_rate_and_adam_finishes_first],
    ),
    claim(
        "optimizer-race",
        Note("rotated-bowl"),
        "The same bowl turned 45°, started from the same point turned with it, and each racer again at its best rate on the same grid.",
        tests![turned_45_degrees_the_bowl_costs_adam_its_edge_and_momentum_finishes_first],
    ),
    claim(
        "optimizer-race",
        After("rotated-bowl"),
        "SGD and momentum take as many steps as on the upright bowl: they treat every direction alike. Adam's per-coordinate scaling no longer lines up with the steep and flat directions, so it needs more than twice as many steps as before, and momentum finishes first.",
        tests![turned_45_degrees_the_bowl_costs_adam_its_edge_and_momentum_finishes_first],
    ),
    claim(
        "optimizer-race",
        Note("rosenbrock"),
        "A curved, flat-bottomed valley with its minimum at (1, 1), every racer at a modest rate.",
        tests![on_rosenbrock_everyone_reaches_the_floor_and_following_it_is_the_slow_part],
    ),
    claim(
        "optimizer-race",
        After("rosenbrock"),
        "Every racer drops onto the valley floor (where y ≈ x²) within ten steps, with the loss still near 6; following the floor to (1, 1) is the slow part, and plain SGD does not get there in 1,500 steps. Raise Adam's rate toward 1 and the race turns erratic: a bigger rate can take twice as long, and who finishes first comes down to lucky bounces.",
        tests![on_rosenbrock_everyone_reaches_the_floor_and_following_it_is_the_slow_part],
    ),
    claim(
        "optimizer-race",
        Note("saddle"),
        "x² − y² has no minimum: the finish line is a loss of −1, reached by sliding off the ridge. All four start at the same rate, 0.05, almost exactly on the ridge (y = 0.001).",
        tests![on_the_saddle_adam_slides_off_first_and_sgd_does_not_finish],
    ),
    claim(
        "optimizer-race",
        After("saddle"),
        "Plain SGD's step across the ridge is proportional to that tiny y, so it does not finish in 60 steps; momentum builds up speed and finishes; Adam and AdamW divide each step by the gradient's recent size, move at full stride from the first step, and finish first, together.",
        tests![on_the_saddle_adam_slides_off_first_and_sgd_does_not_finish],
    ),
    // output-gradient
    claim(
        "output-gradient",
        Title,
        "The output layer's gradient: cross-entropy against squared error",
        Describes("names what the plot compares"),
    ),
    claim(
        "output-gradient",
        Intro,
        "A sigmoid output turns the last layer's logit z into a probability p, and backprop starts from ∂L/∂z. With cross-entropy the sigmoid's slope cancels and ∂L/∂z = p − y: a confidently wrong output still gets a gradient of nearly 1 in size. With squared error ∂L/∂z = 2(p − y)·p(1 − p): the sigmoid's flat tails shrink it toward 0 as the prediction becomes confidently wrong. Slide p toward the wrong answer and compare the two.",
        tests![the_output_gradient_is_p_minus_y_for_cross_entropy_and_fades_for_squared_error],
    ),
    // playground
    claim(
        "playground",
        Title,
        "Your own playground",
        Describes("names the view"),
    ),
    claim(
        "playground",
        Intro,
        "Choose a data set or draw your own, decide what the network sees and how large it is, then watch every neuron change as it trains. The settings, your points included, travel in a link.",
        Describes("says how to use the playground's controls and what it draws; it has no presets to run. What it draws and its link are tested in crates/train/tests/playground.rs (a_report_brings_regions_neurons_and_weights_in_one_read_back) and crates/train/src/playground/link.rs (every_setting_and_every_point_round_trips)"),
    ),
    // read-the-curve
    claim(
        "read-the-curve",
        Title,
        "Read the curve: make the four patterns appear",
        tests![read_the_curve_trains_small_networks_on_the_half_moons],
    ),
    claim(
        "read-the-curve",
        Intro,
        "A small network learns to separate two interleaved half-moons. Each preset sets the learning rate, the model size, the data and the epochs; run them and match each curve to the pattern the lesson names. Then change the controls and predict before you press Train.",
        tests![read_the_curve_trains_small_networks_on_the_half_moons],
    ),
    claim(
        "read-the-curve",
        Note("normal"),
        "Both curves fall fast for the first few epochs, then flatten, and validation loss stays within 0.1 of training loss throughout.",
        tests![normal_training_falls_fast_flattens_and_validation_stays_close],
    ),
    claim(
        "read-the-curve",
        Note("overfitting"),
        "Few, noisy examples and a large network: training loss keeps falling while validation loss turns and climbs.",
        tests![overfitting_preset_validation_rises_while_training_falls],
    ),
    claim(
        "read-the-curve",
        Note("oscillation"),
        "A rate far too high for plain SGD: the updates overshoot, and the loss jumps up and down from epoch to epoch, never settling below where it started.",
        tests![too_high_a_rate_jumps_up_and_down_without_settling],
    ),
    claim(
        "read-the-curve",
        Note("stuck"),
        "A learning rate so small that nothing visible happens: the loss sits near ln 2 ≈ 0.69, a coin flip.",
        tests![a_tiny_learning_rate_is_stuck_near_a_coin_flip],
    ),
    // schedules
    claim(
        "schedules",
        Title,
        "Learning-rate schedules",
        Describes("names the topic"),
    ),
    claim(
        "schedules",
        Intro,
        "The same network on a two-armed spiral, trained with SGD and momentum for 60 epochs under four schedules. The top plot is each schedule's learning rate by step, from the same closed form the training run follows; the bottom plot overlays the training loss of every run you finish, on a log scale, where the end of training is not squeezed flat.",
        tests![the_schedules_share_everything_but_the_schedule, the_engine_follows_warmup_then_cosine_and_its_shape_is_flat_steep_flat],
    ),
    claim(
        "schedules",
        Note("constant"),
        "The rate never changes: a fast start, but the loss keeps bouncing up and down to the end.",
        tests![a_constant_rate_starts_fastest_and_keeps_bouncing_to_the_end],
    ),
    claim(
        "schedules",
        Note("warmup-cosine"),
        "A short linear warmup, then a cosine curve down to zero: the rate eases off slowly at first, falls fastest mid-run and flattens again at the end, and those small final steps let the loss settle lower than the constant run's.",
        tests![the_engine_follows_warmup_then_cosine_and_its_shape_is_flat_steep_flat],
    ),
    claim(
        "schedules",
        Note("cosine-restarts"),
        "The cosine restarts every 15 epochs (225 steps): each restart kicks the rate back up, and after the later restarts the loss climbs for an epoch or so before falling again.",
        tests![cosine_restarts_kick_the_rate_back_up_and_the_later_ones_the_loss],
    ),
    claim(
        "schedules",
        Note("step"),
        "The rate halves every 15 epochs (225 steps): a staircase.",
        tests![step_decay_halves_every_15_epochs],
    ),
    // too-high-lr
    claim(
        "too-high-lr",
        Title,
        "Too high a learning rate, and what clipping does about it",
        tests![forty_times_the_rate_overflows_within_the_first_epoch, clipping_caps_every_step_at_rate_times_norm_and_the_run_settles],
    ),
    claim(
        "too-high-lr",
        Intro,
        "The same small network on the half-moons, trained with plain SGD. The healthy rate is 0.5; the other presets multiply it. Predict what each run's loss will do, then train it. If a run's numbers overflow, an alarm stops it and says why; the last preset keeps the largest rate and caps the gradient's norm instead.",
        tests![too_high_lr_presets_multiply_the_healthy_rate_of_the_same_network, forty_times_the_rate_overflows_within_the_first_epoch],
    ),
    claim(
        "too-high-lr",
        Question,
        "What will this run's loss do?",
        tests![
            a_healthy_rate_halves_the_loss_in_an_epoch_and_it_stays_down,
            ten_times_the_rate_overshoots_and_never_gets_back_below_the_start,
            forty_times_the_rate_overflows_within_the_first_epoch
        ],
    ),
    claim(
        "too-high-lr",
        Options,
        "Fall and settle | Jump around without settling | Blow up to NaN | Barely move",
        tests![a_healthy_rate_halves_the_loss_in_an_epoch_and_it_stays_down, ten_times_the_rate_overshoots_and_never_gets_back_below_the_start, forty_times_the_rate_overflows_within_the_first_epoch],
    ),
    claim(
        "too-high-lr",
        Note("healthy"),
        "The rate this network was tuned for.",
        tests![a_healthy_rate_halves_the_loss_in_an_epoch_and_it_stays_down],
    ),
    claim(
        "too-high-lr",
        After("healthy"),
        "The loss halves within the first epoch and stays down: it falls and settles.",
        tests![a_healthy_rate_halves_the_loss_in_an_epoch_and_it_stays_down],
    ),
    claim(
        "too-high-lr",
        Note("ten-times"),
        "Ten times that rate, 5.0: every step is ten times longer.",
        tests![ten_times_the_rate_overshoots_and_never_gets_back_below_the_start],
    ),
    claim(
        "too-high-lr",
        After("ten-times"),
        "The steps overshoot: the loss more than doubles in the first epoch and never gets back below where it started.",
        tests![ten_times_the_rate_overshoots_and_never_gets_back_below_the_start],
    ),
    claim(
        "too-high-lr",
        Note("forty-times"),
        "Forty times the rate, 20.",
        tests![forty_times_the_rate_overflows_within_the_first_epoch],
    ),
    claim(
        "too-high-lr",
        After("forty-times"),
        "Within the first epoch the numbers overflow to infinity and NaN, and the NaN alarm stops the run: one step that large throws the weights far from anywhere the loss is finite.",
        tests![forty_times_the_rate_overflows_within_the_first_epoch],
    ),
    claim(
        "too-high-lr",
        Note("forty-times-clipped"),
        "The same rate of 20, but the gradient's norm is capped at 0.02 before each update, so no step can move the weights further than 20 × 0.02 = 0.4.",
        tests![clipping_caps_every_step_at_rate_times_norm_and_the_run_settles],
    ),
    claim(
        "too-high-lr",
        After("forty-times-clipped"),
        "Capped steps are small enough: the run settles, although the rate is the one that blew up.",
        tests![clipping_caps_every_step_at_rate_times_norm_and_the_run_settles],
    ),
];

/// The test files whose functions a registry entry may name.
const SOURCES: [(&str, &str); 5] = [
    ("tests/teaching.rs", include_str!("../teaching.rs")),
    ("tests/teaching/lesson1.rs", include_str!("lesson1.rs")),
    ("tests/teaching/lesson2.rs", include_str!("lesson2.rs")),
    ("tests/teaching/lesson3.rs", include_str!("lesson3.rs")),
    ("tests/teaching/lesson4.rs", include_str!("lesson4.rs")),
];

/// Every demo file under content/, with its path: (module folder/demos/name.json, name, text).
fn demo_files() -> Vec<(String, String, String)> {
    let content = format!("{}/../../content", env!("CARGO_MANIFEST_DIR"));
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{content}/course.json")).unwrap())
            .unwrap();
    let mut files = Vec::new();
    for module in manifest["modules"].as_array().unwrap() {
        let folder = module["folder"].as_str().unwrap();
        let dir = format!("{content}/{folder}/demos");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                let name = path.file_stem().unwrap().to_string_lossy().into_owned();
                let text = std::fs::read_to_string(&path).unwrap();
                files.push((format!("content/{folder}/demos/{name}.json"), name, text));
            }
        }
    }
    files.sort();
    files
}

/// A test function's body in its source file: from its `fn` line to the closing brace at the
/// start of a line. `None` unless it is a `#[test]` that is not ignored.
fn test_body<'a>(source: &'a str, name: &str) -> Option<&'a str> {
    let start = [format!("pub fn {name}()"), format!("fn {name}()")]
        .iter()
        .find_map(|sig| source.find(sig.as_str()))?;
    let before = source[..start].trim_end();
    if !before.ends_with("#[test]") {
        return None;
    }
    let end = source[start..].find("\n}\n").map(|e| start + e)?;
    Some(&source[start..end])
}

fn field_name(field: Field) -> String {
    match field {
        Title => "title".into(),
        Intro => "intro".into(),
        Question => "predict.question".into(),
        Options => "predict.options".into(),
        Note(p) => format!("note of preset \"{p}\""),
        After(p) => format!("after-run note of preset \"{p}\""),
    }
}

#[test]
fn every_demo_text_is_registered_against_what_backs_it() {
    let mut problems = Vec::new();
    let mut seen = Vec::new();
    let files = demo_files();
    assert!(files.len() >= 13, "found {} demo files", files.len());
    for (path, name, text) in &files {
        let demo = aesop_train::demo::Demo::parse(text).unwrap_or_else(|e| panic!("{path}: {e:?}"));
        let mut texts = vec![(Title, demo.title.clone()), (Intro, demo.intro.clone())];
        if let Some(q) = &demo.predict {
            texts.push((Question, q.question.clone()));
            texts.push((Options, q.options.join(" | ")));
        }
        for p in &demo.presets {
            // Registry entries name presets by &'static str: match on the name's text.
            for (text, field) in [
                (&p.note, Note as fn(&'static str) -> Field),
                (&p.after, After),
            ] {
                if text.is_empty() {
                    continue;
                }
                let known = CLAIMS.iter().find_map(|c| match c.field {
                    Note(n) | After(n)
                        if c.demo == name.as_str() && n == p.name && c.field == field(n) =>
                    {
                        Some(n)
                    }
                    _ => None,
                });
                match known {
                    Some(n) => texts.push((field(n), text.clone())),
                    None => problems.push(format!(
                        "{path}: the {} is not in the claims registry (crates/train/tests/teaching/claims.rs).\n  \
                         Text: {:?}\n  Add `claim({name:?}, {:?}, <the text>, tests![...])` naming the #[test] \
                         functions that run this preset on the engine and assert what it says (in \
                         tests/teaching/lesson*.rs), or reword it to what the run does.",
                        field_name(field("?")).replace('?', &p.name),
                        text,
                        field("?"),
                    )),
                }
            }
        }
        for (field, text) in texts {
            seen.push((name.clone(), field));
            let entry = CLAIMS
                .iter()
                .find(|c| c.demo == name.as_str() && c.field == field);
            match entry {
                None => problems.push(format!(
                    "{path}: its {} is not in the claims registry (crates/train/tests/teaching/claims.rs).\n  \
                     Text: {text:?}\n  Add `claim({name:?}, {field:?}, <the text>, tests![...])` naming the #[test] \
                     functions that assert what it says on the real presets, or `Describes(\"why\")` if it only \
                     names the view or says how to use it.",
                    field_name(field)
                )),
                Some(c) if c.text != text => problems.push(format!(
                    "{path}: its {} changed since it was registered.\n  Registered: {:?}\n  Now:        {text:?}\n  \
                     Check that the tests it names ({}) still assert what the new text says (change them if not), \
                     then copy the new text into its entry in crates/train/tests/teaching/claims.rs.",
                    field_name(field),
                    c.text,
                    match c.backing {
                        Tests(t) => t.iter().map(|t| t.0).collect::<Vec<_>>().join(", "),
                        Describes(_) => "none: it was registered as a description".into(),
                    }
                )),
                Some(_) => {}
            }
        }
    }
    for c in CLAIMS {
        let here = format!(
            "registry entry for {} of \"{}\"",
            field_name(c.field),
            c.demo
        );
        if !seen.iter().any(|(d, f)| d == c.demo && *f == c.field) {
            problems.push(format!(
                "{here}: no demo file has this text any more; remove the entry."
            ));
        }
        match c.backing {
            Describes(why) => {
                if why.trim().len() < 8 {
                    problems.push(format!("{here}: say why it makes no claim"));
                }
            }
            Tests(tests) => {
                for (test, _) in tests {
                    let found = SOURCES
                        .iter()
                        .find_map(|(file, src)| test_body(src, test).map(|b| (file, b)));
                    let Some((file, body)) = found else {
                        problems.push(format!(
                            "{here}: `{test}` is not a #[test] in the teaching tests"
                        ));
                        continue;
                    };
                    let mut needs = vec![format!("\"{}\"", c.demo)];
                    if let Note(p) | After(p) = c.field {
                        needs.push(format!("\"{p}\""));
                    }
                    for n in needs {
                        if !body.contains(&n) {
                            problems.push(format!("{here}: `{test}` ({file}) never names {n}, so it cannot be running that demo's preset"));
                        }
                    }
                    if !body.contains("assert") {
                        problems.push(format!("{here}: `{test}` ({file}) asserts nothing"));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n\n"));
}

#[test]
fn the_registry_check_finds_test_bodies_and_refuses_what_is_not_a_test() {
    let source = "#[test]\npub fn a() {\n    assert!(true, \"x\");\n}\n\nfn helper() {\n    1;\n}\n\n#[test]\n#[ignore]\nfn b() {\n}\n";
    assert!(test_body(source, "a").unwrap().contains("assert"));
    assert_eq!(test_body(source, "helper"), None, "not a test");
    assert_eq!(test_body(source, "b"), None, "ignored");
    assert_eq!(test_body(source, "c"), None, "absent");
}
