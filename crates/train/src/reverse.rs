//! Reverse-mode differentiation on the 2-2-1 network drawn as a computation graph: what
//! backprop does, one node at a time. The forward sweep fills in each node's value; the
//! backward sweep visits the nodes in reverse and gives each its adjoint ∂L/∂node as a sum,
//! over the nodes that read it, of (local derivative × that reader's adjoint). One sweep yields
//! every parameter's gradient, which is where the saving over nudging each weight comes from.

use crate::activations::{derivative, value};
use crate::backprop::TinyNet;

/// What a node computes from other nodes (by index).
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// An input or a parameter: given, not computed.
    Leaf,
    /// Σ weight·input + bias over (weight, input) pairs.
    Affine {
        pairs: Vec<(usize, usize)>,
        bias: usize,
    },
    /// The hidden activation of one node.
    Activation(usize),
    /// (node − target)².
    SquaredError { input: usize, target: f64 },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub name: String,
    /// How the node is computed, in symbols ("w1_11·x1 + w1_12·x2 + b1_1").
    pub formula: String,
    pub op: Op,
}

/// One contribution to a node's adjoint: the reader's local derivative with respect to this
/// node, times the reader's own adjoint.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub reader: usize,
    /// The local derivative in symbols ("∂z1/∂x1 = w1_11").
    pub local: String,
    pub local_value: f64,
    pub upstream: f64,
}

/// One step of the backward sweep: a node's adjoint and the terms it sums.
#[derive(Debug, Clone, PartialEq)]
pub struct BackStep {
    pub node: usize,
    /// Empty for the loss itself, whose adjoint is 1.
    pub terms: Vec<Term>,
    pub adjoint: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Graph {
    pub nodes: Vec<Node>,
    /// Each node's value after the forward sweep.
    pub values: Vec<f64>,
    /// Interior nodes in the order the forward sweep computes them.
    pub forward: Vec<usize>,
    /// Every node in the order the backward sweep visits it (each after all its readers).
    pub backward: Vec<BackStep>,
    activation: crate::spec::Activation,
}

impl Graph {
    /// The network's graph: leaves x1, x2 and the nine parameters; z1, z2, h1, h2, ŷ and L.
    pub fn of(net: &TinyNet) -> Graph {
        let mut nodes = Vec::new();
        let leaf = |nodes: &mut Vec<Node>, name: &str, what: &str| {
            nodes.push(Node {
                name: name.into(),
                formula: what.into(),
                op: Op::Leaf,
            });
            nodes.len() - 1
        };
        let x = [
            leaf(&mut nodes, "x1", "input"),
            leaf(&mut nodes, "x2", "input"),
        ];
        let mut w1 = [[0; 2]; 2];
        for (j, row) in w1.iter_mut().enumerate() {
            for (k, w) in row.iter_mut().enumerate() {
                *w = leaf(&mut nodes, &format!("w1_{}{}", j + 1, k + 1), "weight");
            }
        }
        let b1 = [
            leaf(&mut nodes, "b1_1", "bias"),
            leaf(&mut nodes, "b1_2", "bias"),
        ];
        let w2 = [
            leaf(&mut nodes, "w2_1", "weight"),
            leaf(&mut nodes, "w2_2", "weight"),
        ];
        let b2 = leaf(&mut nodes, "b2", "bias");
        let push = |nodes: &mut Vec<Node>, name: String, formula: String, op: Op| {
            nodes.push(Node { name, formula, op });
            nodes.len() - 1
        };
        let act = format!("{:?}", net.activation).to_lowercase();
        let mut z = [0; 2];
        let mut h = [0; 2];
        for j in 0..2 {
            let n = j + 1;
            z[j] = push(
                &mut nodes,
                format!("z{n}"),
                format!("w1_{n}1·x1 + w1_{n}2·x2 + b1_{n}"),
                Op::Affine {
                    pairs: vec![(w1[j][0], x[0]), (w1[j][1], x[1])],
                    bias: b1[j],
                },
            );
        }
        for j in 0..2 {
            let n = j + 1;
            h[j] = push(
                &mut nodes,
                format!("h{n}"),
                format!("{act}(z{n})"),
                Op::Activation(z[j]),
            );
        }
        let y = push(
            &mut nodes,
            "ŷ".into(),
            "w2_1·h1 + w2_2·h2 + b2".into(),
            Op::Affine {
                pairs: vec![(w2[0], h[0]), (w2[1], h[1])],
                bias: b2,
            },
        );
        let loss = push(
            &mut nodes,
            "L".into(),
            format!("(ŷ − t)², t = {}", net.target),
            Op::SquaredError {
                input: y,
                target: net.target,
            },
        );
        let leaves: Vec<f64> = net.x.iter().copied().chain(net.params()).collect();
        let mut g = Graph {
            nodes,
            values: Vec::new(),
            forward: vec![z[0], z[1], h[0], h[1], y, loss],
            backward: Vec::new(),
            activation: net.activation,
        };
        g.values = g.evaluate(&leaves, None);
        // Each node after every node that reads it: the loss, the output, the output layer's
        // parameters and inputs, then the hidden layer's, then the network's inputs.
        let order = [
            vec![loss, y, b2, w2[0], w2[1], h[0], h[1], z[0], z[1]],
            vec![
                b1[0], b1[1], w1[0][0], w1[0][1], w1[1][0], w1[1][1], x[0], x[1],
            ],
        ]
        .concat();
        g.backward = g.sweep_back(&order);
        g
    }

    /// Values of every node from the leaves' values, in the forward order; `nudge` adds
    /// (node, amount) to one node's value as soon as it is known (finite differences).
    pub fn evaluate(&self, leaves: &[f64], nudge: Option<(usize, f64)>) -> Vec<f64> {
        let mut v = vec![0.0; self.nodes.len()];
        v[..leaves.len()].copy_from_slice(leaves);
        let bump = |v: &mut Vec<f64>, i: usize| {
            if let Some((n, d)) = nudge {
                if n == i {
                    v[i] += d;
                }
            }
        };
        for i in 0..leaves.len() {
            bump(&mut v, i);
        }
        for &i in &self.forward {
            v[i] = match &self.nodes[i].op {
                Op::Leaf => v[i],
                Op::Affine { pairs, bias } => {
                    pairs.iter().map(|&(w, x)| v[w] * v[x]).sum::<f64>() + v[*bias]
                }
                Op::Activation(z) => value(self.activation, v[*z]),
                Op::SquaredError { input, target } => (v[*input] - target).powi(2),
            };
            bump(&mut v, i);
        }
        v
    }

    /// The loss node's index (the last computed).
    pub fn loss(&self) -> usize {
        *self.forward.last().expect("the graph ends in a loss")
    }

    /// ∂reader/∂node at the forward values, with its symbolic form.
    fn local(&self, reader: usize, node: usize) -> Option<(String, f64)> {
        let v = &self.values;
        let (r, n) = (&self.nodes[reader].name, &self.nodes[node].name);
        match &self.nodes[reader].op {
            Op::Leaf => None,
            Op::Affine { pairs, bias } => {
                if *bias == node {
                    return Some((format!("∂{r}/∂{n} = 1"), 1.0));
                }
                pairs.iter().find_map(|&(w, x)| {
                    if w == node {
                        Some((format!("∂{r}/∂{n} = {}", self.nodes[x].name), v[x]))
                    } else if x == node {
                        Some((format!("∂{r}/∂{n} = {}", self.nodes[w].name), v[w]))
                    } else {
                        None
                    }
                })
            }
            Op::Activation(z) => (*z == node).then(|| {
                (
                    format!("∂{r}/∂{n} = f′({n})"),
                    derivative(self.activation, v[node]),
                )
            }),
            Op::SquaredError { input, target } => (*input == node)
                .then(|| (format!("∂{r}/∂{n} = 2(ŷ − t)"), 2.0 * (v[node] - target))),
        }
    }

    fn sweep_back(&self, order: &[usize]) -> Vec<BackStep> {
        let mut adjoint = vec![None::<f64>; self.nodes.len()];
        let mut steps = Vec::new();
        for &node in order {
            let (terms, value) = if node == self.loss() {
                (Vec::new(), 1.0)
            } else {
                let terms: Vec<Term> = (0..self.nodes.len())
                    .filter_map(|reader| {
                        let (local, local_value) = self.local(reader, node)?;
                        let upstream =
                            adjoint[reader].expect("the backward order visits every reader first");
                        Some(Term {
                            reader,
                            local,
                            local_value,
                            upstream,
                        })
                    })
                    .collect();
                let sum = terms.iter().map(|t| t.local_value * t.upstream).sum();
                (terms, sum)
            };
            adjoint[node] = Some(value);
            steps.push(BackStep {
                node,
                terms,
                adjoint: value,
            });
        }
        steps
    }

    /// The adjoint the backward sweep gave a node, by name.
    pub fn adjoint(&self, name: &str) -> Option<f64> {
        self.backward
            .iter()
            .find(|s| self.nodes[s.node].name == name)
            .map(|s| s.adjoint)
    }

    /// ∂L/∂node by central finite differences: nudge the node's value, recompute what follows.
    pub fn finite_difference(&self, node: usize, eps: f64) -> f64 {
        let leaves = self.leaves();
        let loss = self.loss();
        let up = self.evaluate(&leaves, Some((node, eps)))[loss];
        let down = self.evaluate(&leaves, Some((node, -eps)))[loss];
        (up - down) / (2.0 * eps)
    }

    fn leaves(&self) -> Vec<f64> {
        let n = self.nodes.iter().take_while(|n| n.op == Op::Leaf).count();
        self.values[..n].to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backprop::{relative_gap, PARAMS};
    use crate::spec::Activation;

    fn net(activation: Activation) -> TinyNet {
        crate::backprop::tests::sample(activation)
    }

    #[test]
    fn the_forward_sweep_matches_the_network() {
        for a in [Activation::Sigmoid, Activation::Relu, Activation::Tanh] {
            let n = net(a);
            let (g, f) = (Graph::of(&n), n.forward());
            let at = |name: &str| g.values[g.nodes.iter().position(|n| n.name == name).unwrap()];
            assert_eq!([at("z1"), at("z2")], f.z);
            assert_eq!([at("h1"), at("h2")], f.h);
            assert_eq!((at("ŷ"), at("L")), (f.y_hat, f.loss));
        }
    }

    #[test]
    fn every_adjoint_is_the_sum_of_its_terms_and_matches_finite_differences() {
        for a in [
            Activation::Sigmoid,
            Activation::Relu,
            Activation::Tanh,
            Activation::Gelu,
        ] {
            let g = Graph::of(&net(a));
            assert_eq!(
                g.backward.len(),
                g.nodes.len(),
                "every node gets an adjoint"
            );
            for s in &g.backward {
                let sum: f64 = s.terms.iter().map(|t| t.local_value * t.upstream).sum();
                if s.node != g.loss() {
                    assert_eq!(sum, s.adjoint);
                }
                let fd = g.finite_difference(s.node, 1e-6);
                assert!(
                    relative_gap(s.adjoint, fd) < 1e-5,
                    "{a:?} {}: {} vs {fd}",
                    g.nodes[s.node].name,
                    s.adjoint
                );
            }
        }
    }

    #[test]
    fn the_parameters_adjoints_are_the_chain_rule_gradients() {
        let n = net(Activation::Sigmoid);
        let g = Graph::of(&n);
        for c in n.backward() {
            let a = g.adjoint(c.param).unwrap();
            assert!(relative_gap(a, c.gradient) < 1e-12, "{}", c.param);
        }
        assert_eq!(PARAMS.iter().filter(|p| g.adjoint(p).is_some()).count(), 9);
    }

    #[test]
    fn an_input_read_by_two_nodes_sums_two_terms() {
        let g = Graph::of(&net(Activation::Tanh));
        let x1 = g
            .backward
            .iter()
            .find(|s| g.nodes[s.node].name == "x1")
            .unwrap();
        let readers: Vec<&str> = x1
            .terms
            .iter()
            .map(|t| g.nodes[t.reader].name.as_str())
            .collect();
        assert_eq!(readers, ["z1", "z2"]);
    }
}
