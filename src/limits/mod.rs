//! Per-client rate limits: a quota of units per window for each client (an
//! API key, or else an address), under one of two policies, `anonymous` and
//! `key`. Units, not requests: a request is let in while at least one unit
//! is left and takes it at once (the cost of the cheapest answer); once
//! answered, a full answer takes a second unit if one is left, a 304 Not
//! Modified nothing more. So a 304 costs half a full answer, and however
//! many requests a client has in flight, it is never let in past its quota.
//!
//! Windows are fixed, so the numbers the `RateLimit` field carries are
//! exact: what is left, and the seconds until the window ends and the whole
//! quota is back. A client's window starts with its first request after the
//! last one ended, so clients do not all come back at the same moment. The
//! price is that of every fixed window: across the end of one, a client can
//! use up to twice its quota in a short time.

mod client;
mod windows;

use std::time::Instant;

pub use client::Client;
use windows::{Admitted, Windows};

/// What a request takes when it is let in: the cost of a 304.
pub const ADMISSION_UNITS: u32 = 1;
/// What a 304 Not Modified costs in all.
pub const NOT_MODIFIED_UNITS: u32 = 1;
/// What any other answer costs in all.
pub const FULL_ANSWER_UNITS: u32 = 2;

/// How rate limits are set; an anonymous quota of 0 turns them off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitOptions {
    /// Units per window for each client without an API key (0: no limits).
    pub anonymous: u32,
    /// Units per window for each API key (`None`: ten times `anonymous`).
    pub key: Option<u32>,
    /// The length of a window, in seconds.
    pub window_secs: u32,
    /// The most clients whose windows are held at a time.
    pub partitions: usize,
    /// Take the client's address from `Forwarded` / `X-Forwarded-For`
    /// (behind a proxy that sets them) rather than from the connection.
    pub trust_forwarded_for: bool,
}

impl Default for RateLimitOptions {
    fn default() -> Self {
        RateLimitOptions { anonymous: 0, key: None, window_secs: 60, partitions: 100_000, trust_forwarded_for: false }
    }
}

/// A quota policy: its name in the fields, its quota in units, its window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub name: &'static str,
    pub quota: u32,
    pub window_secs: u32,
}

/// What a client has left under its policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status<'a> {
    pub policy: &'a Policy,
    pub remaining: u32,
    /// Seconds until the window ends and the whole quota is back (rounded
    /// up: at least 1).
    pub reset_secs: u32,
}

/// A request that was let in, to be settled once it is answered.
#[derive(Debug, Clone, Copy)]
pub struct Ticket(Admitted<Client>);

pub struct RateLimits {
    anonymous: Policy,
    key: Policy,
    windows: Windows<Client>,
    epoch: Instant,
    trust_forwarded_for: bool,
}

impl RateLimits {
    /// The limiter `options` describe, or `None` when they turn limits off.
    pub fn new(options: &RateLimitOptions) -> Option<RateLimits> {
        if options.anonymous == 0 {
            return None;
        }
        let window_secs = options.window_secs.max(1);
        let key = options.key.unwrap_or(options.anonymous.saturating_mul(10)).max(1);
        Some(RateLimits {
            anonymous: Policy { name: "anonymous", quota: options.anonymous, window_secs },
            key: Policy { name: "key", quota: key, window_secs },
            windows: Windows::new(u64::from(window_secs) * 1_000, options.partitions),
            epoch: Instant::now(),
            trust_forwarded_for: options.trust_forwarded_for,
        })
    }

    pub fn trust_forwarded_for(&self) -> bool {
        self.trust_forwarded_for
    }

    pub fn policy(&self, client: &Client) -> &Policy {
        if client.has_key() {
            &self.key
        } else {
            &self.anonymous
        }
    }

    fn now(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    /// Let a request of `client` in (taking `ADMISSION_UNITS`), or refuse
    /// it: the status then says when the quota is back.
    pub fn admit(&self, client: Client) -> Result<Ticket, Status<'_>> {
        self.admit_at(client, self.now())
    }

    /// Charge the rest of what the answer costs and say what is left.
    pub fn settle(&self, ticket: Ticket, not_modified: bool) -> Status<'_> {
        self.settle_at(ticket, not_modified, self.now())
    }

    fn status(&self, client: &Client, standing: windows::Standing) -> Status<'_> {
        Status {
            policy: self.policy(client),
            remaining: standing.remaining,
            reset_secs: u32::try_from(standing.resets_in_ms.div_ceil(1_000)).unwrap_or(u32::MAX),
        }
    }

    fn admit_at(&self, client: Client, now: u64) -> Result<Ticket, Status<'_>> {
        let quota = self.policy(&client).quota;
        match self.windows.take(client, quota, ADMISSION_UNITS, now) {
            Ok((admitted, _)) => Ok(Ticket(admitted)),
            Err(standing) => Err(self.status(&client, standing)),
        }
    }

    fn settle_at(&self, ticket: Ticket, not_modified: bool, now: u64) -> Status<'_> {
        let client = *ticket.0.key();
        let cost = if not_modified { NOT_MODIFIED_UNITS } else { FULL_ANSWER_UNITS };
        let quota = self.policy(&client).quota;
        let standing = self.windows.charge(ticket.0, quota, cost - ADMISSION_UNITS, now);
        self.status(&client, standing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(anonymous: u32, key: Option<u32>) -> RateLimits {
        RateLimits::new(&RateLimitOptions { anonymous, key, window_secs: 60, ..RateLimitOptions::default() }).unwrap()
    }

    #[test]
    fn off_by_default() {
        assert!(RateLimits::new(&RateLimitOptions::default()).is_none());
    }

    #[test]
    fn a_full_answer_costs_two_units_and_a_304_one() {
        let limits = limits(5, None);
        let me = Client::V4(1);
        let ticket = limits.admit_at(me, 0).unwrap();
        let status = limits.settle_at(ticket, false, 0);
        assert_eq!((status.policy.name, status.remaining, status.reset_secs), ("anonymous", 3, 60));
        let ticket = limits.admit_at(me, 1_500).unwrap();
        let status = limits.settle_at(ticket, true, 1_500);
        assert_eq!((status.remaining, status.reset_secs), (2, 59), "t is rounded up");
        let ticket = limits.admit_at(me, 2_000).unwrap();
        assert_eq!(limits.settle_at(ticket, false, 2_000).remaining, 0);
        let refused = limits.admit_at(me, 59_001).unwrap_err();
        assert_eq!((refused.remaining, refused.reset_secs), (0, 1));
        assert!(limits.admit_at(me, 60_000).is_ok(), "a new window");
    }

    #[test]
    fn the_last_unit_lets_in_one_more_request_of_any_kind() {
        let limits = limits(3, None);
        let me = Client::V4(1);
        let ticket = limits.admit_at(me, 0).unwrap();
        assert_eq!(limits.settle_at(ticket, false, 0).remaining, 1);
        let ticket = limits.admit_at(me, 0).unwrap();
        assert_eq!(limits.settle_at(ticket, false, 0).remaining, 0);
        assert!(limits.admit_at(me, 0).is_err());
    }

    #[test]
    fn requests_in_flight_are_never_let_in_past_the_quota() {
        let limits = limits(4, None);
        let me = Client::V4(1);
        let tickets: Vec<Ticket> = (0..4).map(|_| limits.admit_at(me, 0).unwrap()).collect();
        assert!(limits.admit_at(me, 0).is_err());
        for ticket in tickets {
            assert_eq!(limits.settle_at(ticket, false, 0).remaining, 0);
        }
    }

    #[test]
    fn keys_have_their_own_policy_and_partition() {
        let limits = limits(2, None);
        let key = Client::Key(7);
        assert_eq!(limits.policy(&key), &Policy { name: "key", quota: 20, window_secs: 60 });
        let anonymous = Client::V4(1);
        let ticket = limits.admit_at(anonymous, 0).unwrap();
        assert_eq!(limits.settle_at(ticket, false, 0).remaining, 0);
        assert!(limits.admit_at(anonymous, 0).is_err());
        let ticket = limits.admit_at(key, 0).unwrap();
        let status = limits.settle_at(ticket, false, 0);
        assert_eq!((status.policy.name, status.remaining), ("key", 18));
        assert_eq!(self::limits(2, Some(5)).policy(&Client::Key(1)).quota, 5);
    }
}
