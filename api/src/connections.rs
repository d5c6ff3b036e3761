//! Keeping one client from tying Merit up: a deadline on request bodies, and a cap on the
//! connections one address holds open.
//!
//! actix-web already cuts connections whose headers are slow (`client_request_timeout`), but
//! not bodies: a client that sends headers and then stalls its body would hold a worker's
//! attention and a file descriptor for ever. [`cut_slow_bodies`] gives every body a deadline
//! (`body_timeout_seconds`), answers 408 `request_timeout` and closes the connection when it
//! passes. [`ConnectionCap`] refuses (closes at once) connections beyond
//! `connections_per_client` from one address, so one client cannot use up the descriptors.

use std::{
    any::Any,
    cell::Cell,
    collections::HashMap,
    net::{IpAddr, Shutdown},
    pin::Pin,
    rc::Rc,
    sync::{Arc, Mutex, PoisonError},
    task::{Context, Poll},
    time::Duration,
};

use actix_web::{
    Error, HttpMessage, ResponseError,
    body::{BoxBody, MessageBody},
    dev::{Extensions, Payload, ServiceRequest, ServiceResponse},
    error::PayloadError,
    http::ConnectionType,
    middleware::Next,
    web,
};
use bytes::Bytes;
use futures_util::Stream;

use crate::{
    error::{ApiError, Code},
    state::AppState,
};

/// Gives the request body `body_timeout_seconds` to arrive; past that, the handler reads an
/// error and the client gets 408 `request_timeout` on a closed connection.
pub async fn cut_slow_bodies(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let seconds = req
        .app_data::<web::Data<AppState>>()
        .map_or(0, |state| state.settings.body_timeout_seconds);
    let payload = req.take_payload();
    if seconds == 0 || matches!(payload, Payload::None) {
        req.set_payload(payload);
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    }
    let expired = Rc::new(Cell::new(false));
    req.set_payload(Payload::Stream {
        payload: Box::pin(Deadline {
            inner: payload,
            sleep: Box::pin(tokio::time::sleep(Duration::from_secs(seconds))),
            expired: expired.clone(),
        }),
    });
    let res = next.call(req).await?;
    if !expired.get() {
        return Ok(res.map_into_boxed_body());
    }
    let (req, _) = res.into_parts();
    let mut response = ApiError::new(
        Code::RequestTimeout,
        format!("The request body did not arrive within {seconds} seconds."),
    )
    .error_response();
    response
        .head_mut()
        .set_connection_type(ConnectionType::Close);
    Ok(ServiceResponse::new(req, response))
}

/// A payload that fails once its deadline passes.
struct Deadline {
    inner: Payload,
    sleep: Pin<Box<tokio::time::Sleep>>,
    expired: Rc<Cell<bool>>,
}

impl Stream for Deadline {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.expired.get() {
            return Poll::Ready(None);
        }
        if let Poll::Ready(item) = Pin::new(&mut self.inner).poll_next(cx) {
            return Poll::Ready(item);
        }
        match self.sleep.as_mut().poll(cx) {
            Poll::Ready(()) => {
                self.expired.set(true);
                Poll::Ready(Some(Err(PayloadError::Io(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "the request body did not arrive in time",
                )))))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

/// Counts open connections per client address and refuses those beyond the cap.
#[derive(Debug, Clone)]
pub struct ConnectionCap {
    limit: usize,
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

impl ConnectionCap {
    /// A cap of `limit` connections per address (0: no cap).
    pub fn new(limit: u32) -> Self {
        ConnectionCap {
            limit: usize::try_from(limit).unwrap_or(usize::MAX),
            open: Arc::default(),
        }
    }

    /// The server's `on_connect` hook: counts the connection for as long as it lives, or
    /// closes it at once when its address already holds `limit`.
    pub fn on_connect(&self, connection: &dyn Any, extensions: &mut Extensions) {
        if self.limit == 0 {
            return;
        }
        let Some(stream) = connection.downcast_ref::<actix_web::rt::net::TcpStream>() else {
            return;
        };
        let Ok(peer) = stream.peer_addr() else {
            return;
        };
        match self.admit(peer.ip()) {
            Some(slot) => {
                extensions.insert(slot);
            }
            None => {
                tracing::debug!(client = %peer.ip(), limit = self.limit, "connection refused: too many from one client");
                let _ = socket2::SockRef::from(stream).shutdown(Shutdown::Both);
            }
        }
    }

    fn admit(&self, ip: IpAddr) -> Option<Slot> {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let count = open.entry(ip).or_default();
        if *count >= self.limit {
            return None;
        }
        *count += 1;
        Some(Slot {
            ip,
            open: self.open.clone(),
        })
    }
}

/// One counted connection; dropped (and uncounted) with the connection.
struct Slot {
    ip: IpAddr,
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = open.get_mut(&self.ip) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.ip);
            }
        }
    }
}
