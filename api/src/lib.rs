//! Merit's HTTP API: actix-web handlers, use cases, settings, telemetry and the OpenAPI
//! document, plus the `merit` command line. Handlers are thin: extract, convert to domain
//! values, run one use case in one transaction off the actix workers, map to a response.

pub mod alerts;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod conditional;
pub mod connections;
pub mod contract;
pub mod db;
pub mod demo;
pub mod error;
pub mod extract;
pub mod headers;
pub mod mail;
pub mod merge_patch;
pub mod methods;
pub mod openapi;
pub mod paging;
pub mod required;
pub mod routes;
pub mod search;
pub mod services;
pub mod settings;
pub mod startup;
pub mod state;
pub mod storage;
pub mod sweeper;
pub mod telemetry;
pub mod validation;
pub mod warmup;
pub mod webhooks;
