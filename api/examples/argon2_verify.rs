//! Raw argon2id verifies per second on this machine, with Merit's parameters (the OWASP set,
//! m=19456 KiB, t=2, p=1): the ceiling that sign-ins per second are compared with in
//! `bench/identity.sh`.
//!
//! `cargo run --release -p merit-api --example argon2_verify -- [SECONDS] [THREADS]`
//! (defaults: 10 seconds, one thread per core). Prints one line: `verifies_per_second=N`.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let seconds: u64 = args.next().map_or(Ok(10), |a| a.parse())?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads: usize = args.next().map_or(Ok(cores), |a| a.parse())?;
    let password = b"Tulip.Harbor7";
    let hash = Argon2::default()
        .hash_password(password)
        .map_err(|e| e.to_string())?
        .to_string();
    let count = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let (count, stop, hash) = (count.clone(), stop.clone(), hash.clone());
            std::thread::spawn(move || {
                let parsed = PasswordHash::new(&hash).expect("a valid hash");
                while !stop.load(Ordering::Relaxed) {
                    let ok = Argon2::default().verify_password(password, &parsed).is_ok();
                    assert!(ok, "the password verifies");
                    count.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(seconds));
    stop.store(true, Ordering::Relaxed);
    for worker in workers {
        worker.join().map_err(|_| "a worker panicked")?;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let rate = count.load(Ordering::Relaxed) as f64 / elapsed;
    let out = format!(
        "threads={threads} verifies={} seconds={elapsed:.1} verifies_per_second={rate:.1}\n",
        count.load(Ordering::Relaxed)
    );
    std::io::Write::write_all(&mut std::io::stdout(), out.as_bytes())?;
    Ok(())
}
