//! The full app: lessons plus demos, quizzes, the module test and labs.

fn main() {
    aesop::start();
}
