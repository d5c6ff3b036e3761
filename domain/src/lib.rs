//! Merit's domain: the rules of civil-service hiring as pure types and functions.
//!
//! Nothing here performs IO, reads a clock or draws randomness: time, the viewer and any random
//! input are parameters. Every constrained value is a newtype with a fallible constructor, so a
//! value that exists is valid. CI proves this crate depends on no database, web or async crate.

pub mod account;
pub mod alert;
pub mod announcement;
pub mod api_client;
pub mod application;
pub mod appointment;
pub mod calendar;
pub mod case;
pub mod correspondence;
pub mod dashboard;
pub mod exam;
pub mod ids;
pub mod letter;
pub mod merge;
pub mod message;
pub mod paging;
pub mod posting;
pub mod profile;
pub mod reference;
pub mod resource;
pub mod survey;
pub mod terms;
pub mod text;
pub mod webhook;
