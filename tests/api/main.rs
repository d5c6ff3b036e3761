//! Merit's integration tests: one binary. Every test builds the real app through the same
//! start-up code as `merit`, on a fresh database: a temporary SQLite file, or a fresh PostgreSQL
//! database when `MERIT_TEST_POSTGRES_URL` is set (the same tests run on both backends).

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod support;

mod alerts;
mod applications;
mod contract;
mod documents;
mod errors;
mod exams;
mod http_edges;
mod identity;
mod integrators;
mod letters;
mod merge_patch;
mod messages;
mod openapi;
mod postings;
mod profiles;
mod readiness;
mod reference;
mod robustness;
mod scale_out;
mod security_headers;
mod service;
mod staff;
mod templates;
mod transactions;
mod webhooks;
