//! Rebuilds the crate when a migration is added, so the embedded sets never go stale.

fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
