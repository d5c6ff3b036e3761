//! Use cases: synchronous functions that take a connection, the actor and `now`, apply the
//! domain's rules and call repositories. The handler runs each inside one transaction.

pub mod reference;
