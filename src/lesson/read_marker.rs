//! Marks a lesson read once its last line has been on screen: the learner reached the end.

use crate::visible::when_visible;
use leptos::html::P;
use leptos::prelude::*;

pub fn on_visible(callback: impl Fn() + 'static) -> NodeRef<P> {
    let node = NodeRef::<P>::new();
    node.on_load(move |el| when_visible(&el, 0.0, callback));
    node
}
