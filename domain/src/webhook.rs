//! Webhooks for integrators (Standard Webhooks v1): the event types, the retry schedule, the
//! secret rotation overlap and the address rule that keeps deliveries off internal networks.
//!
//! Signing needs an HMAC and the schedule's jitter needs randomness: both are done by the
//! caller (the API crate), which passes the random draw in, so everything here stays pure.

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use chrono::TimeDelta;

use crate::{
    api_client::{ClientScope, Permission, Permissions},
    reference::DepartmentCode,
};

/// What happened, as a Standard Webhooks `type` (dot-hierarchical, `[a-z_.]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventType {
    /// A posting opened for applications.
    PostingPublished,
    /// A posting stopped taking applications (closed by its department).
    PostingClosed,
    /// An application was submitted.
    ApplicationSubmitted,
    /// A submitted application moved to another status (by its department or by Merit).
    ApplicationStatusChanged,
    /// The applicant withdrew an application.
    ApplicationWithdrawn,
}

impl EventType {
    /// Every event type, in the order the documentation lists them.
    pub const ALL: [EventType; 5] = [
        EventType::PostingPublished,
        EventType::PostingClosed,
        EventType::ApplicationSubmitted,
        EventType::ApplicationStatusChanged,
        EventType::ApplicationWithdrawn,
    ];

    /// The wire name (`posting.published`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::PostingPublished => "posting.published",
            EventType::PostingClosed => "posting.closed",
            EventType::ApplicationSubmitted => "application.submitted",
            EventType::ApplicationStatusChanged => "application.status_changed",
            EventType::ApplicationWithdrawn => "application.withdrawn",
        }
    }

    /// The event type of a wire name.
    pub fn parse(text: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|t| t.as_str() == text)
    }

    /// Whether the event is about an application (else about a posting): a client needs
    /// `applications:read` for the first, `postings:read` for the second.
    pub fn is_about_applications(self) -> bool {
        matches!(
            self,
            EventType::ApplicationSubmitted
                | EventType::ApplicationStatusChanged
                | EventType::ApplicationWithdrawn
        )
    }
}

/// The waits before each attempt, the spec's example schedule: now, 5 s, 5 min, 30 min, 2 h,
/// 5 h, 10 h, 14 h, 20 h, 24 h (about 3 days and 3 hours from the first attempt to the last).
pub const SCHEDULE: [TimeDelta; 10] = [
    TimeDelta::zero(),
    TimeDelta::seconds(5),
    TimeDelta::minutes(5),
    TimeDelta::minutes(30),
    TimeDelta::hours(2),
    TimeDelta::hours(5),
    TimeDelta::hours(10),
    TimeDelta::hours(14),
    TimeDelta::hours(20),
    TimeDelta::hours(24),
];

/// How many attempts a delivery gets before it is given up.
pub const MAX_ATTEMPTS: u32 = SCHEDULE.len() as u32;

/// How long a rotated-out secret keeps signing beside the new one.
pub const ROTATION_OVERLAP: TimeDelta = TimeDelta::hours(24);

/// The wait after attempt number `attempts` (1-based) failed, before the next one; `None` when
/// that was the last attempt. `jitter` is a random draw in `[0, 1)`: the wait is spread over
/// ±10 % so that endpoints failing together are not retried in lockstep.
pub fn retry_delay(attempts: u32, jitter: f64) -> Option<TimeDelta> {
    let base = SCHEDULE.get(usize::try_from(attempts).ok()?)?;
    let jitter = if jitter.is_finite() {
        jitter.clamp(0.0, 1.0)
    } else {
        0.5
    };
    let millis = base.num_milliseconds() as f64;
    let spread = millis * 0.2 * (jitter - 0.5);
    Some(TimeDelta::milliseconds((millis + spread).round() as i64))
}

/// Whether a client with `scope` and `permissions` may receive an event of `event` about a
/// posting of `department` (`internal_only`: open to State employees only). The rule is the
/// client's read access: posting events need `postings:read`, application events
/// `applications:read`; a department's client hears of its department's postings only; a
/// state-wide client reads the public view of every posting (so no internal-only one) and no
/// applications, which are department-bound.
pub fn may_receive(
    scope: &ClientScope,
    permissions: &Permissions,
    event: EventType,
    department: &DepartmentCode,
    internal_only: bool,
) -> bool {
    if event.is_about_applications() {
        permissions.allows(Permission::ApplicationsRead) && scope.department() == Some(department)
    } else {
        permissions.allows(Permission::PostingsRead)
            && match scope {
                ClientScope::Department(own) => own == department,
                ClientScope::StateWide => !internal_only,
            }
    }
}

/// What a delivery's answer means for it and its endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 2xx: delivered.
    Delivered,
    /// 410 Gone: the receiver asked to stop; the endpoint is disabled.
    Gone,
    /// Anything else (3xx included: redirects are never followed), or no answer: try again.
    Failed,
}

/// The outcome of an answer with `status`, or of no answer (`None`: timeout, refused, ...).
pub fn outcome(status: Option<u16>) -> Outcome {
    match status {
        Some(200..=299) => Outcome::Delivered,
        Some(410) => Outcome::Gone,
        _ => Outcome::Failed,
    }
}

/// Whether `ip` is an address on the public internet, so a delivery may go there: not
/// loopback, private (RFC 1918, unique local), link-local (cloud metadata services live at
/// 169.254.169.254), shared (CGNAT), unspecified, multicast, broadcast, documentation or
/// otherwise reserved. IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a == 0
        // shared address space (RFC 6598)
        || (a == 100 && (64..128).contains(&b))
        // IETF protocol assignments (RFC 6890)
        || (a == 192 && b == 0 && c == 0)
        // benchmarking (RFC 2544)
        || (a == 198 && (18..20).contains(&b))
        // reserved (class E)
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        // unique local fc00::/7
        || (first & 0xfe00) == 0xfc00
        // link-local fe80::/10
        || (first & 0xffc0) == 0xfe80
        // documentation 2001:db8::/32
        || (first == 0x2001 && ip.segments()[1] == 0x0db8)
        // NAT64 and IPv4-compatible forms are refused rather than judged
        || (first == 0x0064 && ip.segments()[1] == 0xff9b)
        || first == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_types_round_trip_through_their_wire_names() {
        for t in EventType::ALL {
            assert_eq!(EventType::parse(t.as_str()), Some(t));
        }
        assert_eq!(EventType::parse("posting.deleted"), None);
        assert!(EventType::ApplicationWithdrawn.is_about_applications());
        assert!(!EventType::PostingClosed.is_about_applications());
    }

    #[test]
    fn the_schedule_spans_about_three_days_then_gives_up() {
        let total: TimeDelta = SCHEDULE.iter().sum();
        assert_eq!(
            total,
            TimeDelta::minutes(75 * 60 + 35) + TimeDelta::seconds(5)
        );
        assert_eq!(retry_delay(1, 0.5), Some(TimeDelta::seconds(5)));
        assert_eq!(retry_delay(2, 0.5), Some(TimeDelta::minutes(5)));
        assert_eq!(retry_delay(9, 0.5), Some(TimeDelta::hours(24)));
        assert_eq!(retry_delay(10, 0.5), None);
    }

    #[test]
    fn jitter_spreads_a_wait_by_ten_percent_either_way() {
        assert_eq!(retry_delay(4, 0.0), Some(TimeDelta::minutes(108)));
        assert_eq!(retry_delay(4, 1.0), Some(TimeDelta::minutes(132)));
        assert_eq!(retry_delay(4, f64::NAN), Some(TimeDelta::hours(2)));
        for draw in [0.0, 0.25, 0.999] {
            let wait = retry_delay(3, draw).expect("a wait");
            assert!(wait >= TimeDelta::minutes(27) && wait <= TimeDelta::minutes(33));
        }
    }

    #[test]
    fn only_two_hundreds_deliver_and_only_410_disables() {
        assert_eq!(outcome(Some(200)), Outcome::Delivered);
        assert_eq!(outcome(Some(204)), Outcome::Delivered);
        assert_eq!(outcome(Some(410)), Outcome::Gone);
        for failed in [Some(301), Some(302), Some(404), Some(429), Some(500), None] {
            assert_eq!(outcome(failed), Outcome::Failed, "{failed:?}");
        }
    }

    #[test]
    fn clients_receive_what_they_may_read() {
        let dept = DepartmentCode::parse("CDT").expect("a code");
        let other = DepartmentCode::parse("DMV").expect("a code");
        let both = Permissions::of([Permission::PostingsRead, Permission::ApplicationsRead]);
        let own = ClientScope::Department(dept.clone());
        let posted = EventType::PostingPublished;
        let applied = EventType::ApplicationSubmitted;
        assert!(may_receive(&own, &both, posted, &dept, true));
        assert!(may_receive(&own, &both, applied, &dept, false));
        assert!(!may_receive(&own, &both, posted, &other, false));
        assert!(!may_receive(&own, &both, applied, &other, false));
        let postings_only = Permissions::of([Permission::PostingsWrite]);
        assert!(may_receive(&own, &postings_only, posted, &dept, false));
        assert!(!may_receive(&own, &postings_only, applied, &dept, false));
        let state = ClientScope::StateWide;
        assert!(may_receive(&state, &both, posted, &other, false));
        assert!(!may_receive(&state, &both, posted, &other, true));
        assert!(!may_receive(&state, &both, applied, &other, false));
        let none = Permissions::of([Permission::WebhooksManage]);
        assert!(!may_receive(&own, &none, posted, &dept, false));
    }

    #[test]
    fn internal_addresses_are_not_public() {
        for internal in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a9fe:a9fe",
        ] {
            let ip: IpAddr = internal.parse().expect("an address");
            assert!(!is_public(ip), "{internal} was taken for public");
        }
        for public in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            let ip: IpAddr = public.parse().expect("an address");
            assert!(is_public(ip), "{public} was refused");
        }
    }
}
