//! Use cases: synchronous functions that take a connection, the actor and `now`, apply the
//! domain's rules and call repositories. The handler runs each inside one transaction. Flows
//! that hash passwords (sign-in, registration, password changes) are async orchestrations of
//! such steps, because hashing runs on its own bounded pool between database steps.

pub mod accounts;
pub mod admin;
pub mod alerts;
pub mod announcements;
pub mod api_clients;
pub mod applications;
pub mod audit;
pub mod bootstrap;
pub mod documents;
pub mod employees;
pub mod exams;
pub mod export;
pub mod letters;
pub mod merges;
pub mod messages;
pub mod outbox;
pub mod posting_names;
pub mod postings;
pub mod profile;
pub mod recovery;
pub mod reference;
pub mod saved_searches;
pub mod search;
pub mod sessions;
pub mod staff;
pub mod templates;
pub mod webhooks;
